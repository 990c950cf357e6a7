// dynalab-cli lessons [--check]: list every lesson with its steps, or validate them all.
// dynalab-cli lessons --verify [NAME...] [--seeds N] [--jobs N]: check every step's claims.
// dynalab-cli lesson NAME --step K --out DIR: run one step to its condition, write its outputs.

#include <cmath>
#include <cstdio>
#include <thread>

#include "app/cli/cli.h"
#include "app/cli/progress_bar.h"
#include "core/experiment.h"
#include "core/lesson.h"
#include "core/lesson_step_run.h"
#include "core/lesson_verify.h"
#include "core/io/csv.h"
#include "envs/registry.h"

namespace dynalab::cli {

namespace {

struct LessonsArgs {
  bool check = false, verify = false;
  std::vector<std::string> names;
  long long seeds = 3, jobs = 0, max_ticks = 1000000;
};

Lesson load_lesson_arg(const std::string& name) {
  return std::filesystem::path(name).extension() == ".json" ? load_lesson(name) : load_lesson_named(name);
}

std::string value_text(double v) { return std::isnan(v) ? "n/a" : format_number(v); }

// Prints each step's claims with the value on every seed; returns whether all held.
bool print_verification(const std::vector<Lesson>& lessons, const std::vector<StepVerification>& checks) {
  bool all = true;
  int steps_ok = 0, claims = 0, claims_ok = 0;
  double seconds_all = 0;
  for (const StepVerification& v : checks) {
    const Lesson& lesson = *std::find_if(lessons.begin(), lessons.end(),
                                         [&](const Lesson& l) { return l.name == v.lesson; });
    const LessonStep& step = lesson_step(lesson, v.step);
    const bool ok = v.holds();
    all = all && ok;
    steps_ok += ok;
    std::string seeds;
    for (uint64_t o : v.seed_offsets) seeds += (seeds.empty() ? "" : " ") + std::string("+") + std::to_string(o);
    double seconds = 0;
    for (double t : v.seconds) seconds += t;
    seconds_all += seconds;
    std::printf("%s %s step %d: %s  [seeds %s%s, %.0f s]\n", ok ? "ok   " : "FALSE", v.lesson.c_str(), v.step,
                step.title.c_str(), seeds.c_str(), step.one_run ? ", one run" : "", seconds);
    if (step.claims.empty()) std::printf("        no claims: a step states what its run shows\n");
    for (size_t s = 0; s < v.errors.size(); ++s)
      if (!v.errors[s].empty()) std::printf("        seed +%zu did not run to its pause: %s\n", s, v.errors[s].c_str());
    for (size_t c = 0; c < step.claims.size(); ++c) {
      const LessonClaim& claim = step.claims[c];
      std::string values, note;
      bool holds = true;
      for (const ClaimResult& r : v.results[c]) {
        holds = holds && r.holds;
        values += " " + value_text(r.value);
        if (!std::isnan(r.other)) values += " vs " + value_text(r.other);
        if (!r.note.empty() && note.empty()) note = " (" + r.note + ")";
      }
      ++claims;
      claims_ok += holds;
      std::printf("    %s %s\n        %s%s:%s, %s%s\n", holds ? "true " : "FALSE", claim.says.c_str(),
                  claim.measure.c_str(), claim.variant.empty() ? "" : (" [" + claim.variant + "]").c_str(),
                  values.c_str(), describe_test(claim).c_str(), note.c_str());
    }
  }
  std::printf("%d of %zu steps hold; %d of %d claims true on every seed checked; %.0f s of runs\n", steps_ok,
              checks.size(), claims_ok, claims, seconds_all);
  return all;
}

int verify(const LessonsArgs& a) {
  std::vector<Lesson> lessons;
  if (a.names.empty())
    for (const auto& f : lesson_files()) lessons.push_back(load_lesson(f));
  else
    for (const auto& n : a.names) lessons.push_back(load_lesson_arg(n));
  std::vector<std::pair<int, int>> steps;
  for (size_t l = 0; l < lessons.size(); ++l)
    for (size_t k = 0; k < lessons[l].steps.size(); ++k) steps.emplace_back(int(l), int(k + 1));
  const int jobs = a.jobs > 0 ? int(a.jobs) : int(std::max(1u, std::thread::hardware_concurrency()));
  ProgressBar bar("verifying", 0, "runs");
  const auto checks = verify_steps(lessons, steps, int(a.seeds), jobs, a.max_ticks, env_registry(),
                                   [&bar](int done, int total) { bar.update(double(done), double(total)); });
  bar.finish();
  return print_verification(lessons, checks) ? 0 : 1;
}

void lessons(const LessonsArgs& a) {
  if (a.verify) {
    if (const int rc = verify(a)) throw cmdline::ExitCode{rc};
    return;
  }
  const bool check = a.check;
  const auto files = lesson_files();
  if (files.empty()) throw InputError((assets_dir() / "lessons").string() + ": no lesson files");
  for (const auto& f : files) {
    const Lesson lesson = load_lesson(f);  // a broken file stops here, named, exit 2
    if (check) {
      check_lesson(lesson, env_registry());
      std::printf("ok  %-28s %zu steps\n", lesson.name.c_str(), lesson.steps.size());
      continue;
    }
    std::printf("%s: %s\n", lesson.name.c_str(), lesson.title.c_str());
    if (!lesson.deck.empty()) std::printf("    deck: %s\n", lesson.deck.c_str());
    for (size_t i = 0; i < lesson.steps.size(); ++i) {
      const auto& s = lesson.steps[i];
      std::string experiments = s.experiment;  // and the variants' own ones
      for (int v = 0; v < int(s.variants.size()); ++v)
        if (variant_experiment(s, v) != s.experiment) experiments += " + " + variant_experiment(s, v);
      std::printf("    %zu. %-44s [%s%s] %s\n", i + 1, s.title.c_str(), experiments.c_str(),
                  s.variants.empty() ? "" : (", " + std::to_string(s.variants.size()) + " side by side").c_str(),
                  s.has_until ? s.until.describe().c_str() : "");
    }
  }
}

struct LessonArgs {
  std::vector<std::string> positional;
  long long step = 1, max_ticks = 0;
  std::string out;
  const CLI::App* cmd = nullptr;
};

void lesson(const LessonArgs& a) {
  if (a.positional.size() != 1)
    throw InputError("lesson: expected one lesson NAME (see dynalab-cli lessons) or a .json file");
  if (!a.cmd->count("--step")) throw InputError("lesson: expected --step K (1 for the first step)");
  if (!a.cmd->count("--out")) throw InputError("lesson: expected --out DIR for the outputs");
  const std::string name = a.positional[0];
  const Lesson lesson = load_lesson_arg(name);
  const int k = int(a.step);
  const LessonStep& step = lesson_step(lesson, k);
  const long long cap = a.cmd->count("--max-ticks") ? a.max_ticks : step.until.max_ticks;
  const std::filesystem::path out = a.out;
  for (const VariantRun& r : run_lesson_step(lesson, k, out, cap, env_registry())) {
    const std::string who = lesson.name + " step " + std::to_string(k) +
                            (r.label.empty() ? "" : " [" + r.label + "]");
    const std::string what = r.capped ? "tick cap " + std::to_string(cap) + " hit (" +
                                            step.until.describe() + " did not hold)"
                                      : "'" + r.met + "' held";
    std::printf("%s: %s at tick %lld, episode %d (run %d, %lld real steps); outputs in %s\n",
                who.c_str(), what.c_str(), (long long)r.at.tick, r.at.episode, r.at.run,
                (long long)r.at.total_steps, (out / r.folder).string().c_str());
  }
}

}  // namespace

void add_lessons_command(CLI::App& app) {
  auto a = std::make_shared<LessonsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "lessons", "list the lessons and their steps, validate every lesson file, or verify their claims");
  cmd->add_flag("--check", a->check, "validate every lesson file (each step's experiment builds)");
  cmd->add_flag("--verify", a->verify,
                "run every step (or the NAMEd lessons') to its pause on several seeds and check its claims; "
                "exit 1 if one is false");
  cmd->add_option("NAME", a->names, "with --verify: only these lessons (file stems or .json files)");
  cmd->add_option("--seeds", a->seeds, "with --verify: seeds per step (its own, then +1, +2, ...)")
      ->type_name("N")
      ->check(cmdline::integer_in(1, 1000));
  cmd->add_option("--jobs", a->jobs, "with --verify: runs at a time (default: the cores)")
      ->type_name("N")
      ->check(cmdline::integer_in(1, 256));
  cmd->add_option("--max-ticks", a->max_ticks, "with --verify: tick cap per run")
      ->type_name("N")
      ->check(cmdline::integer_in(1, 1000000000));
  cmd->callback([a] {
    if (!a->names.empty() && !a->verify) throw InputError("lessons: NAME is for --verify (to list one lesson, see `lesson`)");
    lessons(*a);
  });
}

void add_lesson_command(CLI::App& app) {
  auto a = std::make_shared<LessonArgs>();
  CLI::App* cmd = app.add_subcommand(
      "lesson", "run a lesson step (each variant) until its condition; outputs to DIR/<variant>");
  a->cmd = cmd;
  cmd->add_option("NAME", a->positional, "a lesson (file stem, see `lessons`) or a lesson .json file");
  cmd->add_option("--step", a->step, "the step, 1 for the first")->type_name("K")->check(cmdline::integer_in(1, 1000000));
  cmd->add_option("--out", a->out, "write each variant's outputs under here")->type_name("DIR");
  cmd->add_option("--max-ticks", a->max_ticks, "tick cap (default: the step's own)")
      ->type_name("N")
      ->check(cmdline::integer_in(1, 1000000000));
  cmd->callback([a] { lesson(*a); });
}

}  // namespace dynalab::cli
