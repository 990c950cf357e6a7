#pragma once
// Heat maps (core/heatmap.h) as one standalone SVG, panels side by side (e.g. epistemic |
// aleatoric): cells coloured with the GUI's scale, a colour bar per panel, nice ticks, the
// points on top and the marker cross, as the GUI's lab draws them.

#include <string>
#include <vector>

#include "core/heatmap.h"

namespace dynalab {

/// The SVG text of `panels`, each `panel_width` x `height` pixels, left to right.
std::string heatmaps_to_svg(const std::vector<Heatmap>& panels, int panel_width = 460,
                            int height = 420);

}  // namespace dynalab
