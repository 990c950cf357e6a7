#include "app/gui/claims_list.h"

#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "app/gui/text_wrap.h"

namespace dynalab {

namespace {
constexpr ImU32 kTick = IM_COL32(0, 130, 40, 255);
constexpr ImU32 kCross = IM_COL32(200, 20, 20, 255);
constexpr ImU32 kPending = IM_COL32(120, 120, 130, 255);

// A tick, a cross or a grey ring in a square of side `s` at `p` (drawn, not a glyph: the font
// atlas holds Latin-1 only).
void mark(ImDrawList* dl, ImVec2 p, float s, const ClaimResult* r, float line_scale) {
  const float w = 2.0f * line_scale;
  if (!r) {
    dl->AddCircle(ImVec2(p.x + s * 0.5f, p.y + s * 0.5f), s * 0.3f, kPending, 16, w);
  } else if (r->holds) {
    dl->AddLine(ImVec2(p.x + s * 0.12f, p.y + s * 0.55f), ImVec2(p.x + s * 0.4f, p.y + s * 0.82f),
                kTick, w * 1.5f);
    dl->AddLine(ImVec2(p.x + s * 0.4f, p.y + s * 0.82f), ImVec2(p.x + s * 0.9f, p.y + s * 0.15f),
                kTick, w * 1.5f);
  } else {
    dl->AddLine(ImVec2(p.x + s * 0.18f, p.y + s * 0.18f), ImVec2(p.x + s * 0.82f, p.y + s * 0.82f),
                kCross, w * 1.5f);
    dl->AddLine(ImVec2(p.x + s * 0.18f, p.y + s * 0.82f), ImVec2(p.x + s * 0.82f, p.y + s * 0.18f),
                kCross, w * 1.5f);
  }
}
}  // namespace

std::string claim_value_text(double v) {
  if (std::isnan(v)) return "?";
  char b[32];
  if (std::abs(v) >= 1000)
    std::snprintf(b, sizeof b, "%.0f", v);
  else
    std::snprintf(b, sizeof b, "%.4g", v);
  return b;
}

std::string claim_result_text(const LessonClaim& c, const ClaimResult& r) {
  if (!r.note.empty()) return r.note;  // set only when a value could not be measured
  const bool compare = c.test == LessonClaim::Test::above_variant ||
                       c.test == LessonClaim::Test::below_variant;
  const std::string who = c.variant.empty() ? "" : c.variant + ": ";
  if (compare)
    return who + claim_value_text(r.value) + ", " + c.other + ": " + claim_value_text(r.other);
  return who + claim_value_text(r.value) + " (" + describe_test(c) + ")";
}

void draw_claims(const LessonStep& step, const std::vector<ClaimResult>* results,
                 float line_scale) {
  if (step.claims.empty()) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float s = ImGui::GetFontSize(), indent = s * 1.3f;
  for (size_t i = 0; i < step.claims.size(); ++i) {
    const LessonClaim& c = step.claims[i];
    const ClaimResult* r = results && i < results->size() ? &(*results)[i] : nullptr;
    mark(dl, ImGui::GetCursorScreenPos(), s, r, line_scale);
    ImGui::Indent(indent);
    text_wrapped_at_spaces(c.says);
    const std::string under = r ? claim_result_text(c, *r) : "measured at the pause";
    ImGui::PushStyleColor(ImGuiCol_Text, r ? (r->holds ? ImVec4(0, 0.45f, 0.12f, 1)
                                                       : ImVec4(0.75f, 0.05f, 0.05f, 1))
                                           : ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    text_wrapped_at_spaces(under);
    ImGui::PopStyleColor();
    ImGui::Unindent(indent);
  }
}

}  // namespace dynalab
