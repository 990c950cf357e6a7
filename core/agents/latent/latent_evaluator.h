#pragma once
// Planning in latent space (deck 003, "planning with visual foresight"; PlaNet's MPC, Hafner et
// al. 2019): a SequenceEvaluator whose "observation" is the latent state z. A candidate action
// sequence is rolled open loop through the latent dynamics z' = z + h(z, a) and scored by the
// reward head, so the sampling planners (CEM, MPPI, random shooting) search action sequences
// without rendering or decoding a single image. The start is z_0 = g(o_t) of the real frames.

#include "core/agents/latent/latent_model.h"
#include "core/planning/sequence_evaluator.h"

namespace dynalab {

class LatentEvaluator : public SequenceEvaluator {
 public:
  /// Scores through `model` (not owned; it must outlive the evaluator). Actions are mapped from
  /// [low, high] to [-1, 1] as the model was trained; a predicted reward r^ is scored as
  /// reward_shift + reward_scale * r^ (the replay's reward moments at the latest fit).
  LatentEvaluator(const LatentModel* model, Vec low, Vec high);
  void set_reward_moments(double shift, double scale) { shift_ = shift, scale_ = scale; }
  /// The novelty bonus (LatentSettings::novelty_weight): each predicted step also scores
  /// + weight * min_j |z' - seen_j| (Euclidean), seen (n x latent_dim) the latents seen so far.
  /// weight 0 or no rows: none.
  void set_seen(const LatentModel::Mat& seen, double weight) { seen_ = seen, novelty_weight_ = weight; }
  double novelty_weight() const { return novelty_weight_; }

  int obs_dim() const override { return model_->latent_dim(); }
  int action_dim() const override { return model_->action_dim(); }
  int particles() const override { return 1; }
  /// Returns are the summed predicted rewards; `paths` the latent states z_0..z_H (P x 1 x
  /// (H+1) x latent_dim). Deterministic: no noise is drawn.
  void evaluate(const ActionBatch& actions, int horizon, const Vec& start, uint64_t noise_seed,
                Eigen::VectorXf& returns, std::vector<float>* paths) override;

  /// The map of the env's actions onto the model's [-1, 1].
  const UnitActions& unit_actions() const { return unit_; }

 private:
  const LatentModel* model_;
  UnitActions unit_;
  double shift_ = 0, scale_ = 1;
  LatentModel::Mat seen_;
  double novelty_weight_ = 0;
};

}  // namespace dynalab
