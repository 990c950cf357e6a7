#pragma once
// Help > Keys and mouse, and Help > About: two small windows opened from the menu.

#include "app/gui/theme.h"

namespace dynalab {

struct HelpWindows {
  bool keys = false, about = false;  ///< open
  void draw(const Fonts& fonts);
};

}  // namespace dynalab
