// The lesson player (issue 7): the Lessons panel and opening a lesson step, as App members.
// A step loads one experiment (the main runner) or one runner per variant, side by side; its
// "run until" condition is enforced on each worker by a GatedExperiment, which pauses the runner
// the moment the condition holds.

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/gui/app.h"
#include "app/gui/claims_list.h"
#include "app/gui/text_wrap.h"
#include "core/lesson_gate.h"
#include "core/lesson_step_run.h"
#include "envs/registry.h"

namespace dynalab {

namespace {
const ImVec4 kQuestionBg{1.0f, 0.93f, 0.55f, 1.0f};
const ImVec4 kQuestionText{0.25f, 0.12f, 0.0f, 1.0f};

// Sets the Dyna, MPC, successor-representation, VIN, C-learning and latent overlay toggles to
// exactly the step's list (an empty list keeps them).
void apply_overlays(const std::vector<std::string>& names, QTableOverlayOptions& t,
                    MpcOverlayOptions& m, SuccessorOverlayOptions& sr, GpiOverlayOptions& g,
                    VinOverlayOptions& v, FutureDensityOverlayOptions& d, LatentOverlayOptions& l) {
  if (names.empty()) return;
  auto on = [&](const char* n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  t.heat_map = on("q_heatmap");
  t.policy_arrows = on("policy_arrows");
  t.model_known = on("model_cells");
  t.planning_flashes = on("planning_flash");
  t.episode_path = on("agent_path");
  g.policy_sources = on("gpi_policy");
  g.legend = on("gpi_policy");
  g.episode_path = on("agent_path");
  m.candidates = on("rollout_fan");
  m.elites = on("elites") || on("rollout_fan");
  m.chosen = on("chosen_plan") || on("rollout_fan");
  m.particles = on("particles") || on("disagreement");
  m.training_data = on("training_data");
  d.shown = on("future_density") || on("future_marginal");
  d.marginal_instead = on("future_marginal");
  l.filmstrip = on("filmstrip");
  l.latent_map = on("latent_map");
  m.executed =
      on("executed_path") || on("predicted_vs_actual") || on("agent_path") || on("visitation");
  sr.show = on("sr_learned") || on("sr_exact") || on("sr_error");
  sr.map = on("sr_error")   ? SuccessorOverlayOptions::Map::error
           : on("sr_exact") ? SuccessorOverlayOptions::Map::exact
                            : SuccessorOverlayOptions::Map::learned;
  v.values = on("vin_values");
  v.reward = on("vin_reward");
  v.paths = on("vin_paths");
  v.k = -1;  // the last iteration, the one the policy reads
}

// The step's title, narrative and audience question, large for the projector.
void draw_narrative(const LessonStep& step, const Fonts& fonts, bool presentation) {
  ImGui::PushFont(fonts.big);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.05f, 0.15f, 0.45f, 1));
  text_wrapped_at_spaces(step.title);
  ImGui::PopStyleColor();
  ImGui::PopFont();
  ImGui::PushFont(presentation ? fonts.ui : fonts.big);
  // At most about half of the panel below the title, so that the question, the claims and the
  // buttons stay on screen under a long narrative (which then scrolls in its own box).
  const float max_height =
      std::max(0.5f * ImGui::GetContentRegionAvail().y, 6 * ImGui::GetTextLineHeightWithSpacing());
  text_wrapped_at_spaces(step.narrative, max_height, "##narrative");
  if (!step.question.empty()) {
    // The question, on a highlighted band.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    const ImVec2 a = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(0, 2));
    ImGui::PushStyleColor(ImGuiCol_Text, kQuestionText);
    text_wrapped_at_spaces("? " + step.question);
    ImGui::PopStyleColor();
    ImGui::Dummy(ImVec2(0, 2));
    const ImVec2 b(a.x + ImGui::GetContentRegionAvail().x, ImGui::GetCursorScreenPos().y);
    dl->ChannelsSetCurrent(0);
    dl->AddRectFilled(ImVec2(a.x - 4, a.y), ImVec2(b.x + 2, b.y - ImGui::GetStyle().ItemSpacing.y),
                      ImGui::ColorConvertFloat4ToU32(kQuestionBg), 5);
    dl->ChannelsMerge();
  }
  ImGui::PopFont();
}
}  // namespace

std::string until_text(const LessonUntil& u) {
  // Counted the way the counters count: "episode 3" in a lesson file means 3 episodes done.
  std::vector<std::string> parts;
  auto count = [](int64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  if (u.episode >= 0) parts.push_back(count(u.episode, "episode done", "episodes done"));
  if (u.ticks >= 0) parts.push_back(count(u.ticks, "tick", "ticks"));
  if (u.total_steps >= 0) parts.push_back(count(u.total_steps, "real step", "real steps"));
  if (u.finished) parts.push_back("the run ends");
  if (u.terminated) parts.push_back("an episode ends at the goal or in a fall");
  if (u.obs_dim >= 0 && (!std::isnan(u.above) || !std::isnan(u.below))) {
    const std::string d = u.describe();  // the observation thresholds, as the core words them
    const size_t at = d.find("obs ");
    parts.push_back(at == std::string::npos ? d : d.substr(at));
  }
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? " or " : "") + parts[i];
  return out.empty() ? "paused" : out;
}

void App::load_lessons() {
  lessons_.clear();
  std::string broken;
  for (const auto& f : lesson_files()) {
    LessonEntry e;
    e.name = f.stem().string();
    try {
      e.lesson = load_lesson(f);
    } catch (const std::exception& ex) {  // one broken file: listed with its error, others work
      e.error = ex.what();
      if (broken.empty()) broken = e.error;
      if (scripted_) std::fprintf(stderr, "lesson skipped: %s\n", e.error.c_str());
    }
    lessons_.push_back(std::move(e));
  }
  if (!broken.empty()) status(broken, true);
}

const LessonStep* App::current_step() const {
  if (lesson_ < 0 || lesson_ >= int(lessons_.size()) || !lessons_[lesson_].lesson) return nullptr;
  const auto& steps = lessons_[lesson_].lesson->steps;
  return step_ >= 0 && step_ < int(steps.size()) ? &steps[step_] : nullptr;
}

bool App::lane_reached(const Lane& lane) const {
  const LessonStep* s = current_step();
  return s && s->has_until && lane.snap && s->until.reached(progress_of(*lane.snap));
}

void App::leave_lesson() {
  if (lesson_ < 0) return;
  lesson_ = -1;
  lanes_.resize(1);
  lanes_[0].label.clear();
  lanes_[0].released = false;
  if (!scripted_) settings_.lesson_mode = false;
}

std::string App::open_lesson(const std::string& name, int step) {
  if (lessons_.empty()) load_lessons();
  int li = -1;
  for (size_t i = 0; i < lessons_.size() && li < 0; ++i)
    if (lessons_[i].name == name || (name.empty() && lessons_[i].lesson)) li = int(i);
  auto fail = [&](const std::string& msg) {
    status(msg, true);
    return msg;
  };
  if (li < 0) {
    std::string list;
    for (const auto& l : lessons_) list += (list.empty() ? "" : ", ") + l.name;
    return fail("lesson '" + name + "': no such lesson (lessons: " + list + ")");
  }
  if (!lessons_[li].lesson) return fail(lessons_[li].error);
  const Lesson& lesson = *lessons_[li].lesson;
  // Check every variant's config before touching the runners: a bad step leaves the old one.
  std::vector<ExperimentSource> srcs;
  try {
    for (int v = 0; v < variant_count(dynalab::lesson_step(lesson, step)); ++v)
      srcs.push_back(variant_source(lesson, step, v));
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  const LessonStep& s = lesson.steps[step - 1];
  const int n = int(srcs.size());
  leave_side_by_side();
  lesson_ = li;
  step_ = step - 1;
  lanes_.resize(1);
  for (int v = 1; v < n; ++v) {
    lanes_.emplace_back();
    lanes_[v].own = std::make_unique<Runner>(90, lower_worker_priority);
    lanes_[v].runner = lanes_[v].own.get();
  }
  for (int v = 0; v < n; ++v) {
    Lane& lane = lanes_[v];
    lane.label = s.variants.empty() ? "" : s.variants[v].label;
    lane.released = false;
    lane.snap.reset();
    lane.user_moved_view = false;
    Runner* r = lane.runner;
    r->set_speed(scripted_ ? 0 : settings_.speed);
    const bool gate = s.has_until;
    const LessonUntil until = s.until;
    ExperimentSource src = srcs[v];
    r->load(
        [src, gate, until, r](uint64_t seed) -> std::unique_ptr<Experiment> {
          ExperimentSource copy = src;
          if (copy.json.contains("seed")) copy.json["seed"] = seed;
          auto e = make_experiment(copy, env_registry());
          if (!gate) return e;
          return std::make_unique<GatedExperiment>(std::move(e), until, [r] { r->pause(); });
        },
        src.json.value("seed", uint64_t(0)));
  }
  // The main runner's resolved config seeds the editor, as for a plain experiment.
  config_.request_from(runner_);
  name_ = srcs[0].name;
  transport_.seed = srcs[0].json.value("seed", uint64_t(0));
  config_.pending_reset = false;
  apply_overlays(s.overlays, settings_.overlays, mpc_.opt, successor_overlay_, settings_.gpi_overlay, vin_opt_,
                 future_density_, latent_);
  // The step's lab view (lesson "panels"), or none; "ladder" opens the ladder's window, which
  // keeps the runs the lesson's rung steps handed it; kTwoClustersPanel the three models on two
  // clusters.
  lab_open_ = false;
  if (!lesson.ladder.empty())
    if (const std::string e = ladder_.use_ladder(lesson.ladder); !e.empty()) status(e, true);
  for (const auto& p : s.panels)
    if (p == kLadderPanel) {
      ladder_.open = true;
    } else if (p == kTwoClustersPanel) {
      lab_open_ = lab_.set_view("model_comparison");
      lab_.set_two_clusters(true);
    } else if (lab_.set_view(p)) {
      lab_open_ = true;
      if (p == "model_comparison") lab_.set_two_clusters(false);  // the step's text is about all the data
    }
  rung_wall_.clear();
  rung_handed_ = false;
  step_opened_ = std::chrono::steady_clock::now();
  ghost_returns_.clear();
  claim_results_.reset();
  layout_.extent = {0, 0};  // a new world: its arrangement is chosen afresh
  mpc_.cem_follow = true;
  if (!scripted_) {
    settings_.lesson_mode = true;
    settings_.last_lesson = lesson.name;
    settings_.last_step = step;
    play_all();  // the point of the slide happens on screen
  }
  status(lesson.title + ": step " + std::to_string(step) + " of " +
             std::to_string(lesson.steps.size()),
         false);
  return "";
}

void App::measure_claims() {
  const LessonStep* s = current_step();
  if (!s || claim_results_ || s->claims.empty() || !s->has_until) return;
  std::vector<std::shared_ptr<const Snapshot>> snaps;
  for (const auto& lane : lanes_) {
    if (!lane_reached(lane) || lane.released) return;  // not every variant has paused yet
    snaps.push_back(lane.snap);
  }
  std::vector<ClaimResult> r;
  for (const LessonClaim& c : s->claims) r.push_back(check_claim(c, *s, snaps));
  claim_results_ = std::move(r);
}

void App::hand_rung_run() {
  const LessonStep* s = current_step();
  if (!s || s->rung.empty() || rung_handed_ || !lanes_[0].snap) return;
  const Lane& lane = lanes_[0];
  rung_wall_.emplace(
      lane.snap->total_steps,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - step_opened_).count());
  if (lane.released || !(lane_reached(lane) || lane.snap->finished)) return;
  rung_handed_ = true;
  const std::string e =
      ladder_.add_run(s->rung, ladder_run_from_snapshot(*lane.snap, transport_.seed, rung_wall_));
  if (!e.empty()) status(e, true);
}

std::vector<std::string> App::claim_lines() const {
  std::vector<std::string> out;
  const LessonStep* s = current_step();
  if (!s) return out;
  for (size_t i = 0; i < s->claims.size(); ++i) {
    const ClaimResult* r = claim_results_ ? &(*claim_results_)[i] : nullptr;
    out.push_back("claim " + std::to_string(i + 1) + ": " +
                  (r ? (r->holds ? "true" : "false") : "pending") + ": " + s->claims[i].says +
                  (r ? " -- " + claim_result_text(s->claims[i], *r) : ""));
  }
  return out;
}

void App::start_lesson_runners(int64_t ticks) {
  const LessonStep* s = current_step();
  for (auto& lane : lanes_) {
    if (ticks > 0)
      lane.runner->step(ticks);
    else if (s && s->has_until)
      lane.runner->play();  // the gate pauses it at the condition
    else
      lane.runner->step(kStepTicksWithoutUntil);
  }
}

bool App::scripted_done(int64_t ticks) const {
  for (const auto& lane : lanes_) {
    const auto& snap = lane.snap;
    if (!lane.runner->idle() || !snap || lane.runner->latest() != snap) return false;
    const RunnerStatus st = lane.runner->status();
    if (st.pending_ticks > 0 || st.playing) return false;
    if (in_lesson()) {
      if (!(lane_reached(lane) || snap->finished || (ticks > 0 && snap->tick >= ticks) ||
            (ticks == 0 && !(current_step() && current_step()->has_until) &&
             snap->tick >= kStepTicksWithoutUntil)))
        return false;
    } else if (!(snap->tick >= ticks || snap->finished)) {
      return false;
    }
  }
  // The lab's view must show the final snapshot's result, not "computing...".
  return !(lab_open_ && lab_.busy());
}

void App::play_all() {
  for (auto& lane : lanes_) {
    if (in_lesson() && lane_reached(lane) && !lane.released) {
      // Playing past the step's condition: release the gate first.
      lane.released = true;
      lane.runner->post(release_gate);
    }
    lane.runner->play();
  }
}

void App::pause_all() {
  for (auto& lane : lanes_) lane.runner->pause();
}

void App::step_all(int64_t n) {
  for (auto& lane : lanes_) {
    if (in_lesson() && lane_reached(lane) && !lane.released) {
      lane.released = true;
      lane.runner->post(release_gate);
    }
    lane.runner->step(n);
  }
}

std::vector<Figure> App::shown_figures() const {
  const LessonStep* s = current_step();
  const std::vector<std::string> ids =
      s ? s->plots
        : in_side_by_side() ? std::vector<std::string>{"return_per_episode"}
                            : std::vector<std::string>{};
  std::vector<std::pair<std::string, const std::vector<Figure>*>> v;
  for (const auto& lane : lanes_)
    v.emplace_back(lane.label, lane.snap ? &lane.snap->figures : nullptr);
  if (lanes_.size() == 1) v[0].second = snap_ ? &snap_->figures : nullptr;
  return dynalab::shown_figures(ids, v);
}

void App::lesson_panel() {
  if (lessons_.empty()) return;
  const bool open = ImGui::CollapsingHeader("Lessons", ImGuiTreeNodeFlags_DefaultOpen);
  if (!open) return;
  // The lesson list: broken files are shown (disabled) with their error as a tooltip.
  const std::string current = in_lesson() && lessons_[lesson_].lesson
                                  ? lessons_[lesson_].lesson->title
                                  : "(choose a lesson)";
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##lesson", current.c_str(), ImGuiComboFlags_HeightLarge)) {
    for (size_t i = 0; i < lessons_.size(); ++i) {
      const auto& e = lessons_[i];
      if (!e.lesson) {
        ImGui::TextDisabled("%s (broken)", e.name.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", e.error.c_str());
        continue;
      }
      if (ImGui::Selectable(e.lesson->title.c_str(), int(i) == lesson_)) open_lesson(e.name, 1);
    }
    ImGui::EndCombo();
  }
  const LessonStep* s = current_step();
  if (!s) return;
  const Lesson& lesson = *lessons_[lesson_].lesson;
  const int n = int(lesson.steps.size());
  const std::string k = "step " + std::to_string(step_ + 1) + " of " + std::to_string(n);
  const float avail = ImGui::GetContentRegionAvail().x, sp = ImGui::GetStyle().ItemSpacing.x;
  const float tw = ImGui::CalcTextSize(k.c_str()).x;
  // Back, "step k of n", Next on one row when they fit; else the count on a row of its own.
  const bool one_row = tw + 2 * sp + 2 * ImGui::CalcTextSize("< Back").x + 6 * sp < avail;
  const float bw = one_row ? (avail - tw - 2 * sp) * 0.5f - sp : (avail - sp) * 0.5f;
  ImGui::BeginDisabled(step_ == 0);
  if (ImGui::Button("< Back", ImVec2(bw, 0))) open_lesson(lesson.name, step_);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (one_row) {
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + sp);
    ImGui::TextUnformatted(k.c_str());
    ImGui::SameLine();
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw);
  }
  ImGui::BeginDisabled(step_ + 1 >= n);
  if (ImGui::Button("Next >", ImVec2(bw, 0))) open_lesson(lesson.name, step_ + 2);
  ImGui::EndDisabled();
  if (!one_row) {
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - tw) * 0.5f);
    ImGui::TextUnformatted(k.c_str());
  }

  draw_narrative(*s, fonts_, presenting());
  draw_claims(*s, claim_results_ ? &*claim_results_ : nullptr, line_scale());

  // The condition and where the runners are.
  if (s->has_until) {
    bool all = true;
    for (const auto& lane : lanes_) all = all && lane_reached(lane);
    const bool released =
        std::any_of(lanes_.begin(), lanes_.end(), [](const Lane& l) { return l.released; });
    if (all && !released)
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.0f, 0.45f, 0.1f, 1));
    else
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    ImGui::TextWrapped(
        all && !released ? "Paused: %s. Play to go on." : "Runs until %s, then pauses.",
        until_text(s->until).c_str());
    ImGui::PopStyleColor();
  }
  if (ImGui::Button("Reset this step", ImVec2(-1, 0))) open_lesson(lesson.name, step_ + 1);
}

}  // namespace dynalab
