#include "app/gui/world_counters.h"

#include <algorithm>

#include "app/gui/status_bar.h"

namespace dynalab {

namespace {
void add_q_table_counters(Counters& c, const Snapshot& s, const QTableView& tab, bool side_by_side) {
  if (!side_by_side && s.successor) {  // a successor representation: M's TD updates, whose M
    c.pieces.push_back("SR TD updates " + std::to_string(tab.real_updates));
    c.pieces.push_back("M of the " + s.successor->policy);
  } else if (!side_by_side) {
    c.pieces.push_back("real updates " + std::to_string(tab.real_updates));
    c.pieces.push_back("planning updates " + std::to_string(tab.planning_updates));
    c.pieces.push_back("n = " + std::to_string(tab.planning_steps));
  } else {
    c.pieces.push_back(std::to_string(s.total_steps) + " steps");
  }
}

void add_plan_counters(Counters& c, const Snapshot& s, const PlanView& mb) {
  const size_t dataset = s.model ? s.model->dataset_size : 0;
  const std::string phase =
      mb.phase == "collect" ? "collect random data (" + std::to_string(dataset) + ")"
      : mb.phase == "train" ? "train the model"
      : mb.phase == "plan"  ? (mb.iteration_name.empty()
                                    ? "plan (" + mb.optimizer + ")"
                                    : "plan (" + mb.iteration_name + " " +
                                          std::to_string(mb.trace.iteration + 1) + "/" +
                                          std::to_string(mb.trace.iterations) + ")")
                            : "act (step " + std::to_string(mb.plan_index) + " of the plan)";
  c.pieces.push_back("phase: " + phase);
  if (!s.returns.empty()) c.pieces.push_back("last return " + one_decimal(s.returns.back()));
  if (s.model && s.model->diverged) c.alert = "model diverged";
  if (!s.message.empty() && c.alert.empty()) c.alert = s.message;
}
}  // namespace

void add_view_counters(Counters& c, const Snapshot& s, bool side_by_side) {
  if (!s.q_table && !s.plan && !s.search_tree) return;
  // Between an episode's end and the next tick the world still shows the finished episode (a
  // lesson paused at "episode N" shows how it ended): name that one, not the next.
  const bool ended = s.trajectory.episode >= 0 && s.trajectory.episode < s.episode;
  c.pieces.push_back(ended ? "episode " + std::to_string(s.trajectory.episode + 1) + " (ended)"
                           : "episode " + std::to_string(s.episode + 1));
  if (s.q_table) add_q_table_counters(c, s, *s.q_table, side_by_side);
  if (s.plan) add_plan_counters(c, s, *s.plan);
  if (s.search_tree) {
    // Deck 004's tree-vs-path table, live: what imagination cost against what the world saw.
    c.pieces.push_back("imagined steps " + std::to_string(s.search_tree->imagined_steps_run));
    c.pieces.push_back("real steps " + std::to_string(s.search_tree->real_steps_run));
    if (s.search_tree->searching) c.pieces.push_back("searching");
    if (!s.message.empty()) c.alert = s.message;
  }
}

namespace {
bool fits(const std::string& text, float wrap_w, float pad) {
  return ImGui::CalcTextSize(text.c_str()).x + 4 * pad <= wrap_w;
}

// The box's lines: pieces joined while they fit in `wrap_w`, then the alert. A piece stays whole
// on its line unless it is wider than `break_w`, the pane ("episode 20 (ended)" over a
// quarter-width pane): then it breaks between words rather than run out of the pane.
std::vector<std::string> counter_lines(const Counters& c, float wrap_w, float pad, float break_w) {
  std::vector<std::string> lines(1);
  for (const auto& p : c.pieces) {
    const std::string joined = lines.back().empty() ? p : lines.back() + "    " + p;
    if (lines.back().empty() || fits(joined, wrap_w, pad)) {
      lines.back() = joined;
    } else {
      lines.push_back(p);
    }
    // Break the last line between words while it is too wide (a single word stays whole).
    for (size_t cut; !fits(lines.back(), break_w, pad) && (cut = lines.back().rfind(' ')) != std::string::npos;) {
      std::string rest = lines.back().substr(cut + 1);
      lines.back().erase(cut);
      while (!fits(lines.back(), break_w, pad) && (cut = lines.back().rfind(' ')) != std::string::npos) {
        rest = lines.back().substr(cut + 1) + " " + rest;
        lines.back().erase(cut);
      }
      lines.push_back(rest);
    }
  }
  if (!c.alert.empty()) lines.push_back(c.alert);
  return lines;
}

// The box's width and height for `lines`, at most `cap` wide. A piece wider than the wrap
// width stays whole on its line, so the box can be wider than the wrap width.
ImVec2 box_of(const std::vector<std::string>& lines, float cap, float pad) {
  float bw = 0;
  for (const auto& l : lines) bw = std::max(bw, ImGui::CalcTextSize(l.c_str()).x);
  return ImVec2(std::min(bw + 2 * pad, cap), ImGui::GetFontSize() * lines.size() + 2 * pad);
}
}  // namespace

ImVec2 counter_box_size(const Counters& c, float wrap_w, float pad) {
  const ImVec2 b = box_of(counter_lines(c, wrap_w, pad, 1e6f), 1e6f, pad);
  return ImVec2(b.x + 2 * pad, b.y + 2 * pad);
}

ImVec2 draw_counter_box(ImDrawList* dl, ImVec2 p0, ImVec2 avail, const Counters& c, float pad,
                        float wrap_w) {
  wrap_w = std::min(wrap_w, avail.x);
  const std::vector<std::string> lines = counter_lines(c, wrap_w, pad, avail.x);
  const ImVec2 box = box_of(lines, avail.x - 2 * pad, pad);
  const float lh = ImGui::GetFontSize();
  dl->PushClipRect(p0, ImVec2(p0.x + avail.x, p0.y + avail.y), true);
  dl->AddRectFilled(ImVec2(p0.x + pad, p0.y + pad), ImVec2(p0.x + pad + box.x, p0.y + pad + box.y),
                    IM_COL32(255, 255, 255, 215), 6);
  for (size_t i = 0; i < lines.size(); ++i) {
    const bool red = !c.alert.empty() && i + 1 == lines.size();
    dl->AddText(ImVec2(p0.x + 2 * pad, p0.y + 2 * pad + lh * i),
                red ? IM_COL32(200, 10, 10, 255) : IM_COL32(20, 20, 25, 255), lines[i].c_str());
  }
  dl->PopClipRect();
  return ImVec2(box.x + 2 * pad, box.y + 2 * pad);
}

}  // namespace dynalab
