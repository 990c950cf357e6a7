#pragma once
// A Canvas that records what a drawing makes (its polylines with their colours and widths, and
// its texts), for tests of the overlays' encodings without ImGui.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/canvas.h"

namespace dynalab::test {

class RecordingCanvas : public Canvas {
 public:
  struct Line {
    std::vector<Vec2> points;
    Color color;
    float width;
  };
  std::vector<Line> lines;
  std::vector<std::string> texts;
  std::vector<Vec2> circle_centres;
  void polygon(std::span<const Vec2>, Color, Color) override {}
  void circle(Vec2 c, double, Color, Color) override { circle_centres.push_back(c); }
  void segment(Vec2, Vec2, Color, float) override {}
  void polyline(std::span<const Vec2> pts, Color c, float w) override {
    lines.push_back({{pts.begin(), pts.end()}, c, w});
  }
  void rect(Vec2, Vec2, Color, Color) override {}
  void text(Vec2, std::string_view t, Color, float) override { texts.emplace_back(t); }
  void arrow(Vec2, Vec2, Color, float) override {}
};

}  // namespace dynalab::test
