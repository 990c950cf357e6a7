#include "core/lesson.h"

#include <algorithm>
#include <cmath>

#include "core/analysis/ladder.h"
#include "core/env_registry.h"
#include "core/experiment.h"
#include "core/io/csv.h"

namespace dynalab {

std::string LessonUntil::met(const Progress& p) const {
  if (p.tick >= max_ticks) return "max_ticks " + std::to_string(max_ticks);
  if (episode >= 0 && p.episode >= episode) return "episode " + std::to_string(episode);
  if (ticks >= 0 && p.tick >= ticks) return "ticks " + std::to_string(ticks);
  if (total_steps >= 0 && p.total_steps >= total_steps)
    return "total_steps " + std::to_string(total_steps);
  if (finished && p.finished) return "finished";
  if (terminated && p.episode_terminated) return "terminated";
  if (obs_dim >= 0 && obs_dim < p.obs.size()) {
    const std::string o = "obs[" + std::to_string(obs_dim) + "] ";
    if (!std::isnan(above) && p.obs[obs_dim] > above) return o + "> " + format_number(above);
    if (!std::isnan(below) && p.obs[obs_dim] < below) return o + "< " + format_number(below);
  }
  return "";
}

std::string LessonUntil::describe() const {
  std::vector<std::string> parts;
  if (episode >= 0) parts.push_back("episode " + std::to_string(episode));
  if (ticks >= 0) parts.push_back(std::to_string(ticks) + " ticks");
  if (total_steps >= 0) parts.push_back(std::to_string(total_steps) + " steps");
  if (finished) parts.push_back("the run ends");
  if (terminated) parts.push_back("an episode terminates");
  if (obs_dim >= 0 && !std::isnan(above)) parts.push_back("obs " + std::to_string(obs_dim) + " > " + format_number(above));
  if (obs_dim >= 0 && !std::isnan(below)) parts.push_back("obs " + std::to_string(obs_dim) + " < " + format_number(below));
  std::string out = "until ";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? " or " : "") + parts[i];
  return parts.empty() ? "until paused" : out;
}

const std::vector<std::string>& lesson_overlays() {
  static const std::vector<std::string> names = {
      // Dyna (tabular)
      "q_heatmap", "policy_arrows", "model_cells", "planning_flash", "agent_path",
      // MPC
      "rollout_fan", "elites", "chosen_plan", "particles", "executed_path", "predicted_vs_actual",
      "training_data",
      // uncertainty and distribution shift
      "disagreement", "visitation",
      // successor representation: the agent's row of M learned, exact, or the error map
      "sr_learned", "sr_exact", "sr_error",
      // successor features: cells and arrows coloured by the policy GPI uses, with its key
      "gpi_policy",
      // value iteration networks
      "vin_values", "vin_reward", "vin_paths",
      // C-learning
      "future_density", "future_marginal",
      // models from pixels: the visual-foresight filmstrip, the latent map
      "filmstrip", "latent_map"};
  return names;
}

const std::vector<std::string>& lesson_panels() {
  static const std::vector<std::string> names = {"disagreement_map", "uncertainty_slice",
                                                 "model_comparison", "ensemble_size",
                                                 "state_visitation", "model_error",
                                                 "gp_fit_time"};
  return names;
}

namespace {

/// A step's "set" object {"agent.planning_steps": 50} as overrides {"agent.planning_steps=50"}.
/// The keys are key paths of the experiment's config, checked when the experiment is built.
std::vector<std::string> read_overrides(ConfigNode& node, const Json& parent) {
  node.child("set");  // marks "set" as known and checks that it is an object
  std::vector<std::string> out;
  if (parent.contains("set"))
    for (auto it = parent["set"].begin(); it != parent["set"].end(); ++it)
      out.push_back(it.key() + "=" + it.value().dump());
  return out;
}

LessonStep read_step(const Json& j, const std::string& source, const std::string& path) {
  ConfigNode node(j, source, path);
  LessonStep step;
  node.field("title", step.title);
  node.field("narrative", step.narrative);
  node.field("question", step.question);
  node.field("experiment", step.experiment);
  if (step.experiment.empty()) node.fail("experiment", "a registered experiment name");
  if (step.narrative.empty()) node.fail("narrative", "a non-empty narrative");
  step.overrides = read_overrides(node, j);
  node.field("overlays", step.overlays);
  node.field("plots", step.plots);
  const auto& known = lesson_overlays();
  for (size_t k = 0; k < step.overlays.size(); ++k)
    if (std::find(known.begin(), known.end(), step.overlays[k]) == known.end()) {
      std::string list;
      for (const auto& n : known) list += (list.empty() ? "" : ", ") + n;
      const Json got = step.overlays[k];
      node.fail("overlays[" + std::to_string(k) + "]", "one of " + list, &got);
    }
  node.field("panels", step.panels);
  std::vector<std::string> panels = lesson_panels();
  panels.push_back(kLadderPanel);
  panels.push_back(kTwoClustersPanel);
  for (size_t k = 0; k < step.panels.size(); ++k)
    if (std::find(panels.begin(), panels.end(), step.panels[k]) == panels.end()) {
      std::string list;
      for (const auto& n : panels) list += (list.empty() ? "" : ", ") + n;
      const Json got = step.panels[k];
      node.fail("panels[" + std::to_string(k) + "]", "one of " + list, &got);
    }
  if (node.has("variants")) {
    const Json& vs = j["variants"];
    if (!vs.is_array())
      node.fail("variants", "an array of {\"label\", \"set\"} (and optionally \"experiment\")", &vs);
    for (size_t k = 0; k < vs.size(); ++k) {
      ConfigNode vn(vs[k], source, path + ".variants[" + std::to_string(k) + "]");
      LessonVariant v;
      vn.field("label", v.label);
      vn.field("experiment", v.experiment);
      v.overrides = read_overrides(vn, vs[k]);
      vn.finish();
      step.variants.push_back(std::move(v));
    }
  }
  node.accept("variants");
  if (node.has("until")) {
    step.has_until = true;
    node.section("until", step.until);
  }
  node.field("one_run", step.one_run);
  node.field("rung", step.rung);
  if (!step.rung.empty() && !step.variants.empty())
    node.fail("rung", "a step without variants (a rung step runs the rung's one experiment)");
  if (step.one_run && step.narrative.find("this run") == std::string::npos)
    node.fail("one_run", "a narrative that says its claims hold on \"this run\" (they are checked on one seed only)");
  if (node.has("claims")) {
    const Json& cs = j["claims"];
    if (!cs.is_array()) node.fail("claims", "an array of {\"says\", \"measure\", \"above\" | \"below\" | ...}", &cs);
    for (size_t k = 0; k < cs.size(); ++k) {
      ConfigNode cn(cs[k], source, path + ".claims[" + std::to_string(k) + "]");
      step.claims.push_back(read_claim(cn, step));
    }
  }
  node.accept("claims");
  node.finish();
  return step;
}

}  // namespace

Lesson load_lesson(const std::filesystem::path& path) {
  Lesson lesson;
  lesson.source = path.string();
  lesson.name = path.stem().string();
  const Json j = read_json_file(lesson.source);
  if (!j.is_object()) throw InputError(lesson.source + ": expected a JSON object with title, deck and steps");
  // The top level: title, deck, optional free-text "about"; the steps are read one by one below.
  Json top = j;
  top.erase("steps");
  ConfigNode root(top, lesson.source);
  std::string about;
  root.field("title", lesson.title);
  root.field("deck", lesson.deck);
  root.field("about", about);
  root.field("ladder", lesson.ladder);
  root.finish();
  if (lesson.title.empty()) root.fail("title", "a non-empty lesson title");
  const Json* steps = j.contains("steps") ? &j["steps"] : nullptr;
  if (!steps || !steps->is_array() || steps->empty()) root.fail("steps", "a non-empty array of steps", steps);
  for (size_t i = 0; i < steps->size(); ++i)
    lesson.steps.push_back(read_step((*steps)[i], lesson.source, "steps[" + std::to_string(i) + "]"));
  const bool uses_ladder = std::any_of(lesson.steps.begin(), lesson.steps.end(), [](const LessonStep& s) {
    return !s.rung.empty() ||
           std::find(s.panels.begin(), s.panels.end(), kLadderPanel) != s.panels.end();
  });
  if (uses_ladder && lesson.ladder.empty())
    root.fail("ladder", "the ladder (assets/ladders/) whose rungs the steps name or whose plot they open");
  if (!lesson.ladder.empty()) {
    LadderSpec spec;
    try {
      spec = read_ladder(lesson.ladder);
    } catch (const InputError& e) {
      throw InputError(lesson.source + ": ladder: " + e.what());
    }
    for (size_t i = 0; i < lesson.steps.size(); ++i) {
      const std::string& rung = lesson.steps[i].rung;
      if (rung.empty() || ladder_rung(spec, rung)) continue;
      std::string list;
      for (const auto& r : spec.rungs) list += (list.empty() ? "" : ", ") + r.label;
      throw InputError(lesson.source + ": steps[" + std::to_string(i) + "].rung: expected one of " +
                       list + " (the rungs of " + spec.source + "), got '" + rung + "'");
    }
  }
  return lesson;
}

Lesson load_lesson_named(const std::string& name) {
  const auto p = assets_dir() / "lessons" / (name + ".json");
  if (!std::filesystem::exists(p)) throw InputError(name + ": no such lesson (see dynalab-cli lessons)");
  return load_lesson(p);
}

std::vector<std::filesystem::path> lesson_files() {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& f : std::filesystem::directory_iterator(assets_dir() / "lessons", ec))
    if (f.path().extension() == ".json") files.push_back(f.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> step_overrides(const LessonStep& step, int variant) {
  std::vector<std::string> o = step.overrides;
  if (variant >= 0 && variant < static_cast<int>(step.variants.size()))
    o.insert(o.end(), step.variants[variant].overrides.begin(), step.variants[variant].overrides.end());
  return o;
}

const std::string& variant_experiment(const LessonStep& step, int variant) {
  if (variant >= 0 && variant < static_cast<int>(step.variants.size()) &&
      !step.variants[size_t(variant)].experiment.empty())
    return step.variants[size_t(variant)].experiment;
  return step.experiment;
}

namespace {
/// A config without its seed: a rung step runs the rung's config on the step's seed.
Json without_seed(Json j) {
  j.erase("seed");
  return j;
}
}  // namespace

void check_lesson(const Lesson& lesson, const EnvRegistry& envs) {
  for (size_t i = 0; i < lesson.steps.size(); ++i) {
    const LessonStep& s = lesson.steps[i];
    if (!s.rung.empty()) {
      // The step's run joins the ladder's plot, so it must be the rung's run.
      const LadderSpec spec = read_ladder(lesson.ladder);
      const LadderRung& rung = *ladder_rung(spec, s.rung);  // load_lesson checked the label
      if (without_seed(load_experiment(s.experiment, s.overrides).json) !=
          without_seed(load_experiment(rung.experiment, rung.set).json))
        throw InputError(lesson.source + ": steps[" + std::to_string(i) + "]: rung '" + s.rung +
                         "' runs " + rung.experiment +
                         " with the ladder file's overrides; the step's experiment and \"set\" "
                         "must resolve to the same config (stop it early with \"until\")");
    }
    const int n = std::max<int>(1, static_cast<int>(s.variants.size()));
    for (int v = 0; v < n; ++v) {
      try {
        const int var = s.variants.empty() ? -1 : v;
        make_experiment(load_experiment(variant_experiment(s, var), step_overrides(s, var)), envs);
      } catch (const InputError& e) {
        std::string where = "steps[" + std::to_string(i) + "]";
        if (!s.variants.empty()) where += ".variants[" + std::to_string(v) + "]";
        throw InputError(lesson.source + ": " + where + ": " + e.what());
      }
    }
  }
}

}  // namespace dynalab
