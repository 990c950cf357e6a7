#include "core/agents/latent/latent_agent.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/io/table.h"
#include "core/snapshot.h"

namespace dynalab {

namespace {
PixelLayout pixels_of(const Env& env) {
  const std::optional<PixelLayout> p = env.pixel_layout();
  if (!p) throw std::invalid_argument("latent agent: expected a pixels env");
  return *p;
}
}  // namespace

LatentAgent::LatentAgent(const LatentAgentConfig& cfg, const Env& env, const RunSeed& seed,
                         std::shared_ptr<LatentRows> rows)
    : cfg_(cfg),
      seed_(seed),
      rows_(std::move(rows)),
      act_rng_(seed.rng()),
      train_rng_(seed.stream(3)) {
  const PixelLayout pixels = pixels_of(env);
  frame_size_ = pixels.size;
  frame_dim_ = frame_size_ * frame_size_;
  obs_dim_ = env.observation_space().dim();
  const Space as = env.action_space();
  action_dim_ = as.dim();
  low_ = as.low, high_ = as.high;
  truth_names_ = pixels.inner->observation_names();
  if (rows_) rows_->truth_names = truth_names_;
  Rng init = seed.stream(5);
  model_ = LatentModel(cfg.model, obs_dim_, frame_dim_, action_dim_, init);
  replay_ = FrameReplay(obs_dim_, action_dim_);
  evaluator_ = std::make_unique<LatentEvaluator>(&model_, low_, high_);
  planner_ = make_planner(cfg.planner, low_, high_);
  planner_->check_evaluator(*evaluator_);
}

void LatentAgent::update_novelty() {
  // Encoded after every fit whatever the weight, so a live edit from 0 takes effect at the next plan.
  novelty_seen_ = model_.encode(replay_.observations(LatentSettings::kNoveltyPoints));
  evaluator_->set_seen(novelty_seen_, novelty_weight_now());
}

double LatentAgent::novelty_weight_now() const {
  const int n = cfg_.latent.novelty_episodes;
  return n == 0 || fits_ <= n ? cfg_.latent.novelty_weight : 0.0;
}

Vec LatentAgent::scaled_action(const Vec& a) const {
  return evaluator_->unit_actions()(a.cast<float>().transpose()).row(0).transpose().cast<double>();
}

std::vector<float> LatentAgent::newest_frame(const Vec& obs) const {
  std::vector<float> frame;  // the observation's last frame_dim values
  for (int i = obs_dim_ - frame_dim_; i < obs_dim_; ++i) frame.push_back(float(obs[i]));
  return frame;
}

void LatentAgent::begin_episode(int, const Vec& obs) {
  replay_.begin_episode(obs);
  last_obs_ = obs;
  belief_.resize(0, 0), belief_prediction_.resize(0, 0);  // a new episode: nothing to predict from
  planner_->cancel();
  planner_->reset();
  strip_predicted_.clear(), strip_real_.clear();
  if (!warming_up()) {
    need_plan_ = true;
    if (fits_ == 0 && train_remaining_ == 0 && !diverged_) train_remaining_ = std::max(1, cfg_.latent.first_fit_updates);
  }
}

Vec LatentAgent::act(const Vec&) {
  if (warming_up()) {
    Vec a(action_dim_);
    for (int d = 0; d < action_dim_; ++d) a[d] = act_rng_.uniform(low_[d], high_[d]);
    return a;
  }
  Vec a(action_dim_);
  for (int d = 0; d < action_dim_; ++d) {
    a[d] = plan_[size_t(d)];
    if (cfg_.latent.action_noise > 0) {
      const double half = (high_[d] - low_[d]) / 2;
      a[d] = std::clamp(a[d] + act_rng_.normal(0, cfg_.latent.action_noise * half), low_[d], high_[d]);
    }
  }
  planner_->shift(1);
  need_plan_ = true;
  return a;
}

void LatentAgent::observe(const Transition& t, bool) {
  const Vec a = scaled_action(t.action);
  replay_.add(a, t.reward, t.next_obs, t.terminated);
  if (belief_.size() > 0) {  // the prediction for the next plan's start (not during the warm-up)
    LatentModel::Mat r;
    model_.step(belief_, a.cast<float>().transpose(), belief_prediction_, r);
  }
  last_obs_ = t.next_obs;
  ++collected_, ++steps_;
  if (strip_real_.size() < strip_predicted_.size()) strip_real_.push_back(newest_frame(t.next_obs));
}

void LatentAgent::end_episode(const Trajectory&) {
  if (fits_ > 0 && !diverged_) train_remaining_ = cfg_.latent.updates_per_fit;
  need_plan_ = false;
  planner_->cancel();
}

void LatentAgent::think(const Env& real, const Vec& obs, const AgentClock&) {
  if (train_remaining_ > 0) {
    train_chunk(real);
    return;
  }
  if (!planner_->in_progress()) {
    belief_ = plan_start(obs);
    const LatentModel::Mat& z = belief_;
    replan_mean_ = planner_->mean(), replan_std_ = planner_->stddev();
    planner_->begin(*evaluator_, z.row(0).transpose().cast<double>(), Rng::derive(seed_.seed, {uint64_t(seed_.run), 6, uint64_t(replans_)}).next_u64());
  }
  planner_->iterate_once(nullptr);
  if (!planner_->done()) return;
  const PlanResult& r = planner_->finish();
  plan_ = r.plan;
  ++replans_;
  need_plan_ = false;
  const bool strip_over = strip_predicted_.empty() ||
                          steps_ - strip_start_ >= 2 * int64_t(strip_predicted_.size());  // shown whole for as long again
  if (strip_over) start_filmstrip(belief_);
}

LatentModel::Mat LatentAgent::plan_start(const Vec& obs) const {
  const LatentModel::Mat z = model_.encode(obs.cast<float>().transpose());
  const float w = float(cfg_.latent.filter_weight);
  if (w == 0 || belief_prediction_.size() != z.size()) return z;
  return (1 - w) * z + w * belief_prediction_;
}

void LatentAgent::start_filmstrip(const LatentModel::Mat& z0) {
  const int n = std::min(cfg_.latent.filmstrip_frames, planner_->horizon());
  LatentModel::Mat z = z0, z_next, r;
  strip_predicted_.clear(), strip_real_.clear();
  LatentModel::Mat a(1, action_dim_);
  for (int t = 0; t < n; ++t) {
    for (int d = 0; d < action_dim_; ++d) a(0, d) = plan_[size_t(t * action_dim_ + d)];
    model_.step(z, evaluator_->unit_actions()(a), z_next, r);
    z.swap(z_next);
    const LatentModel::Mat f = model_.decode(z);
    strip_predicted_.emplace_back(f.data(), f.data() + f.size());
  }
  strip_start_ = steps_;
}

void LatentAgent::train_chunk(const Env& real) {
  if (!has_held_out_) {
    Rng rng = seed_.stream(4);  // a stream of its own, so a loaded session collects the same set
    held_out_ = collect_held_out(real, cfg_.latent.held_out_rollouts, cfg_.latent.held_out_steps, rng);
    has_held_out_ = true;
  }
  if (loss_count_ == 0) {  // a fit begins: the reward scale and the background of the data it sees
    const auto [shift, scale] = replay_.reward_moments();
    reward_shift_ = shift, reward_scale_ = scale;
    if (cfg_.model.keypoints > 0) model_.set_background(replay_.mean_frame(frame_dim_));
  }
  const int K = cfg_.model.train_horizon;
  const int n = std::min(train_remaining_, cfg_.latent.steps_per_tick);
  const bool absorbing = cfg_.latent.absorbing_states;
  for (int i = 0; i < n && replay_.sequences(K, absorbing) > 0; ++i) {
    const LatentModel::Batch b =
        replay_.sample(cfg_.latent.batch_size, K, train_rng_, reward_shift_, reward_scale_, absorbing);
    const LatentModel::Losses L = model_.train_step(b);
    if (L.diverged) {
      diverged_ = true;
      break;
    }
    loss_sums_[0] += L.total, loss_sums_[1] += L.consistency, loss_sums_[2] += L.reward;
    ++loss_count_, ++gradient_steps_;
  }
  train_remaining_ = diverged_ ? 0 : train_remaining_ - n;  // a diverged fit ends now, measured with the last good weights
  if (train_remaining_ > 0) return;
  for (size_t i = 0; i < 3; ++i)
    fit_losses_[i] = loss_count_ > 0 ? loss_sums_[i] / loss_count_ : std::numeric_limits<double>::quiet_NaN();
  loss_sums_.assign(3, 0.0), loss_count_ = 0;
  ++fits_;
  evaluator_->set_reward_moments(reward_shift_, reward_scale_);
  update_novelty();
  evaluate();
}

void LatentAgent::evaluate(bool record) {
  const LatentModel::Mat O = held_out_.all_obs();
  LatentModel::Mat Z;
  const auto reconstruct = [&] {
    Z = model_.encode(O);
    reconstruction_mse_ = double((model_.decode(Z) - O.rightCols(frame_dim_)).squaredNorm()) / double(O.rows() * frame_dim_);
  };
  reconstruct();
  if (!std::isfinite(reconstruction_mse_) && record) {  // the fit's last step overflowed: diverged too
    diverged_ = true;
    model_.restore_last_good();
    reconstruct();
  }
  const Eigen::MatrixXd Zd = Z.cast<double>();
  // Episodes of the env can be shorter than held_out_steps: the probe may have too few frames.
  probe_r2_per_target_ = Zd.rows() >= 4 ? linear_probe_r2_per_target(Zd, held_out_.all_truth())
                                        : Eigen::VectorXd::Constant(held_out_.truth[0].cols(), std::numeric_limits<double>::quiet_NaN());
  probe_r2_ = probe_r2_per_target_.mean();
  reward_r2_ = reward_r2(model_, held_out_, reward_shift_, reward_scale_);
  k_step_errors(model_, held_out_, cfg_.latent.prediction_steps, k_model_, k_repeat_);
  latent_plane_ = principal_plane(Zd);
  if (rows_) {
    Eigen::MatrixXd& map = rows_->runs[seed_.run].latent_map;
    map.resize(Zd.rows(), 2 + held_out_.truth[0].cols());
    map << latent_plane_, held_out_.all_truth();
  }
  if (!record) return;
  curve_fit_.push_back(fits_);
  curve_reconstruction_.push_back(reconstruction_mse_);
  curve_prediction_.push_back(k_model_.back());
  curve_repeat_.push_back(k_repeat_.back());
  if (rows_) {
    LatentRows::Run& r = rows_->runs[seed_.run];
    r.fits.push_back(fits_), r.model.push_back(k_model_), r.repeat.push_back(k_repeat_);
  }
}

std::vector<std::string> LatentAgent::metric_columns() const {
  std::vector<std::string> c = {"steps", "env_steps", "return", "terminated", "reconstruction_mse", "prediction_mse",
                                "repeat_mse", "prediction_gain", "probe_r2"};
  for (const auto& n : truth_names_) c.push_back("probe_r2_" + n);
  for (const char* n : {"reward_r2", "fit_loss", "fit_consistency", "fit_reward"}) c.push_back(n);
  return c;
}

std::vector<double> LatentAgent::episode_metrics() const {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double model = k_model_.empty() ? nan : k_model_.back(), repeat = k_repeat_.empty() ? nan : k_repeat_.back();
  std::vector<double> m = {reconstruction_mse_, model, repeat, repeat / model, probe_r2_};
  for (size_t j = 0; j < truth_names_.size(); ++j)
    m.push_back(Eigen::Index(j) < probe_r2_per_target_.size() ? probe_r2_per_target_[Eigen::Index(j)] : nan);
  for (double x : {reward_r2_, fit_losses_[0], fit_losses_[1], fit_losses_[2]}) m.push_back(x);
  return m;
}

void LatentAgent::add_figures(std::vector<Figure>& figures, const AgentClock&) const {
  {
    Figure f;
    f.id = "latent_losses";
    f.title = "Held-out image error per pixel, after each fit";
    f.x_label = "fits";
    f.y_label = "mean squared error per pixel";
    Series& rec = f.series_named("reconstruction d(g(o_t))");
    rec.x = curve_fit_, rec.y = curve_reconstruction_;
    Series& pred = f.series_named(std::to_string(cfg_.latent.prediction_steps) + "-step open-loop prediction");
    pred.x = curve_fit_, pred.y = curve_prediction_;
    Series& rep = f.series_named("repeat the last frame (baseline)");
    rep.x = curve_fit_, rep.y = curve_repeat_;
    figures.push_back(std::move(f));
  }
  if (probe_r2_per_target_.size() == Eigen::Index(truth_names_.size()) && !truth_names_.empty()) {
    // Lesson 33's point at a glance: which parts of the true state z holds. One dot per
    // true-state dimension (a category, so no line), on one fixed range so that side-by-side
    // variants compare by eye; an R^2 below the range (a probe worse than the mean) is clipped.
    Figure f;
    f.id = "probe_r2";
    f.title = "Linear probe z -> true state: R^2 per dimension (held out, latest fit)";
    f.x_label = "true-state dimension:";
    for (size_t j = 0; j < truth_names_.size(); ++j)
      f.x_label += (j ? ", " : " ") + std::to_string(j + 1) + " " + truth_names_[j];
    f.y_label = "R^2 (1: read exactly, 0: no better than the mean)";
    f.points = true;
    f.y_lo = -0.2;
    f.y_hi = 1.05;
    Series& r = f.series_named("probe R^2");
    for (size_t j = 0; j < truth_names_.size(); ++j) {
      r.x.push_back(double(j + 1));
      r.y.push_back(probe_r2_per_target_[Eigen::Index(j)]);
    }
    figures.push_back(std::move(f));
  }
  if (!k_model_.empty()) {
    Figure f;
    f.id = "k_step_error";
    f.title = "Open-loop image prediction error vs steps ahead (latest fit, held out)";
    f.x_label = "k (steps predicted open loop)";
    f.y_label = "mean squared error per pixel";
    std::vector<double> k(k_model_.size());
    for (size_t i = 0; i < k.size(); ++i) k[i] = double(i + 1);
    Series& m = f.series_named("latent model: d(z^_(t+k))");
    m.x = k, m.y = k_model_;
    Series& r = f.series_named("repeat the last frame");
    r.x = k, r.y = k_repeat_;
    figures.push_back(std::move(f));
  }
}

void LatentAgent::publish(Snapshot& s) const {
  const std::string phase = warming_up()          ? "collecting random-policy frames"
                            : train_remaining_ > 0 ? "fitting the latent model"
                                                   : "planning in latent space (MPC)";
  add_phase(s, phase);
  // How many episodes ended in a terminal state (on point obstacles: reached the goal), the ones
  // the absorbing states train on: a user watching for the first reach reads it here.
  const long terminated = long(std::count(replay_.terminated().begin(), replay_.terminated().end(), 1));
  s.stats.push_back({"replay", std::to_string(replay_.steps()) + " frames, " + std::to_string(replay_.episodes()) + " episodes"});
  s.stats.push_back({"terminal episodes", std::to_string(terminated) + " of " + std::to_string(replay_.episodes())});
  if (cfg_.latent.novelty_weight > 0) {  // which phase the exploration schedule is in (short: the column is narrow)
    const int n = cfg_.latent.novelty_episodes;
    std::ostringstream b;
    if (n == 0) b << cfg_.latent.novelty_weight << ", always";
    else if (fits_ <= n) b << cfg_.latent.novelty_weight << ", explore " << std::max(fits_, 1) << "/" << n;
    else b << "off (exploit)";
    s.stats.push_back({"novelty bonus", b.str()});
  }
  s.stats.push_back({"latent model", std::to_string(fits_) + " fits, " + std::to_string(gradient_steps_) +
                                         " gradient steps (" + cfg_.model.objective + " objective)" +
                                         (diverged_ ? ", diverged" : "")});
  if (diverged_) s.message = "latent model diverged: training stopped, the last good weights are kept";
  char buf[200];
  if (std::isfinite(probe_r2_)) {
    std::snprintf(buf, sizeof buf, "recon %.4f, %d-step %.4f vs repeat %.4f; probe R^2 %.3f", reconstruction_mse_,
                  cfg_.latent.prediction_steps, k_model_.back(), k_repeat_.back(), probe_r2_);
    s.stats.push_back({"held out", buf});
  }
  auto v = std::make_shared<LatentView>();
  v->frame_size = frame_size_;
  v->predicted = strip_predicted_, v->real = strip_real_;
  v->strip_start = strip_start_;
  if (last_obs_.size() == obs_dim_) {
    v->current = newest_frame(last_obs_);
    if (cfg_.model.keypoints > 0 && fits_ > 0) {  // the newest frame's are the last channels x 2 values
      const LatentModel::Mat k = model_.keypoints().features(last_obs_.cast<float>().transpose());
      for (Eigen::Index c = k.cols() - 2 * cfg_.model.keypoints; c < k.cols(); c += 2)
        v->keypoints.push_back({double(k(0, c)), double(k(0, c + 1))});
    }
    if (fits_ > 0) {
      const LatentModel::Mat f = model_.decode(model_.encode(last_obs_.cast<float>().transpose()));
      v->reconstruction.assign(f.data(), f.data() + f.size());
    }
  }
  if (latent_plane_.rows() > 0) {
    const Eigen::MatrixXd truth = held_out_.all_truth();
    const bool angle = truth_names_.size() >= 2 && truth_names_[0].find("cos") != std::string::npos;
    v->colour_name = angle ? "angle (rad)" : (truth_names_.empty() ? "state[0]" : truth_names_[0]);
    for (Eigen::Index i = 0; i < latent_plane_.rows(); ++i) {
      v->latent_points.push_back({latent_plane_(i, 0), latent_plane_(i, 1)});
      v->latent_colour.push_back(angle ? std::atan2(truth(i, 1), truth(i, 0)) : truth(i, 0));
    }
  }
  v->probe_r2 = probe_r2_;
  v->k_error_model = k_model_, v->k_error_repeat = k_repeat_;
  v->fits = fits_;
  v->objective = cfg_.model.objective;
  s.latent = std::move(v);
}

void LatentAgent::apply_live(const AgentSettings& settings, const LiveEdit&) {
  const auto& c = static_cast<const ConfigSettings<LatentAgentConfig>&>(settings).cfg;
  cfg_.latent = c.latent;
  cfg_.model.consistency_weight = c.model.consistency_weight;
  cfg_.model.reward_weight = c.model.reward_weight;
  cfg_.model.latent_weight = c.model.latent_weight;
  cfg_.model.learning_rate = c.model.learning_rate;
  model_.set_weights(c.model.consistency_weight, c.model.reward_weight, c.model.latent_weight, c.model.learning_rate);
  evaluator_->set_seen(novelty_seen_, novelty_weight_now());
}

void LatentAgent::write_outputs(const std::filesystem::path& dir) const {
  if (!rows_) return;
  std::vector<std::string> map_columns = {"run", "point", "pc1", "pc2"};
  map_columns.insert(map_columns.end(), rows_->truth_names.begin(), rows_->truth_names.end());
  Table map(map_columns), k_step({"run", "fits", "k", "model_mse", "repeat_mse"});
  for (const auto& [run, r] : rows_->runs) {
    for (Eigen::Index i = 0; i < r.latent_map.rows(); ++i) {
      std::vector<TableCell> row = {run, long(i)};
      for (Eigen::Index j = 0; j < r.latent_map.cols(); ++j) row.emplace_back(r.latent_map(i, j));
      map.add_row(row);
    }
    for (size_t e = 0; e < r.fits.size(); ++e)
      for (size_t k = 0; k < r.model[e].size(); ++k) k_step.add_row({run, r.fits[e], k + 1, r.model[e][k], r.repeat[e][k]});
  }
  if (map.rows() > 0) map.write_csv(dir / "latent_map.csv");
  if (k_step.rows() > 0) k_step.write_csv(dir / "k_step_error.csv");
}

AgentFamily latent_family() {
  AgentFamily f;
  f.name = "latent";
  f.description = "model-based RL from pixels: a latent model (encoder, latent dynamics, reward head, decoder) and MPC in latent space";
  f.category = "latent models";
  f.default_episodes = 10;
  f.default_env = "pixels";
  f.agents = {{"latent models", "latent",
               "learn a latent dynamics model from frames, plan with CEM in latent space (deck 000, E2C/PlaNet-style)", "latent"}};
  f.read = read_shared_settings<LatentAgentConfig, LatentAgent, LatentRows>;
  f.visit_fields = visit_config_json<LatentAgentConfig>;
  f.check_env = [](const Env& env, ConfigNode& env_node) {
    if (!env.pixel_layout())
      env_node.fail("name", "a pixels env (frames of a camera) for the latent family (got '" + env.name() + "')");
    const Space a = env.action_space();
    if (a.is_discrete() || !a.low.allFinite() || !a.high.allFinite())
      env_node.fail("inner", "an inner env with a bounded box action space for the latent family");
  };
  return f;
}

}  // namespace dynalab
