#pragma once
// The latent agent's replay buffer: whole episodes of pixel observations, actions and rewards,
// from which training draws sequences o_t, a_t, r_t, ..., o_(t+K) inside one episode (a latent
// rollout must not run across a reset). Observations are stored as float rows (obs_dim values
// each): a 2 x 32 x 32 frame stack is 8 KB, so 10,000 steps are 80 MB at most.
// An episode that terminated (not one cut at its step limit) ends in an absorbing state: with
// `absorbing` set, a sequence may start at any of its steps or at its terminal observation and
// run past its last step, each step past it repeating the last observation (the frame stack as
// the terminal step left it) under a uniformly random action with reward 0 (what the episode
// earns after it ended). The model then learns that the terminal state stays put and pays
// nothing more, which is what an imagined rollout must know to value reaching it (the absorbing
// states of Kostrikov et al., "Discriminator-Actor-Critic", ICLR 2019, sec. 4.2; Dreamer's
// continue head learns the same fact as a separate output). Without it the terminal step is the
// last step of at most one sequence of its episode (none if the episode is shorter than K) and
// the terminal observation never starts one, so the encoder never trains on it as a start.
// The reward scaling (reward_moments) is of the real rewards only: the absorbing 0 may lie
// several standard deviations outside them.

#include <Eigen/Core>
#include <vector>

#include "core/agents/latent/latent_model.h"
#include "core/rng.h"
#include "core/space.h"

namespace dynalab {

class FrameReplay {
 public:
  FrameReplay() = default;
  FrameReplay(int obs_dim, int action_dim) : obs_dim_(obs_dim), action_dim_(action_dim) {}

  /// Starts an episode at observation `obs` (obs_dim values).
  void begin_episode(const Vec& obs);
  /// Appends a step: the action taken (action_dim values, scaled to [-1, 1]), the reward, and
  /// the observation reached; `terminated`: the episode ended there (the env's terminal state,
  /// not its step limit), so nothing more is added to it. Throws std::logic_error before
  /// begin_episode() or after a terminated step (the next episode must begin first).
  void add(const Vec& action, double reward, const Vec& next_obs, bool terminated = false);

  int episodes() const { return int(starts_.size()); }
  /// Transitions stored.
  int64_t steps() const { return int64_t(rewards_.size()); }
  /// Sequence starts with K further steps in the same episode (with `absorbing`, every step of a
  /// terminated episode and its terminal observation: its absorbing state continues them).
  int64_t sequences(int K, bool absorbing = false) const;
  /// n sequences of K steps drawn uniformly (with replacement) among sequences(K, absorbing) from
  /// `rng`: rewards r mapped to (r - reward_shift) / reward_scale; steps past a terminated
  /// episode's end are its absorbing state (above). Throws std::logic_error if there are none.
  LatentModel::Batch sample(int n, int K, Rng& rng, double reward_shift, double reward_scale, bool absorbing = false) const;
  /// The mean of every stored observation's last frame_dim values (its newest frame): the
  /// keypoints' background (keypoints.h). Zeros if nothing is stored.
  Eigen::RowVectorXf mean_frame(int frame_dim) const;
  /// Mean and standard deviation of the stored rewards (scale 1 if they are all equal).
  std::pair<double, double> reward_moments() const;
  /// At most `max_rows` stored observations, evenly strided (rows x obs_dim).
  LatentModel::Mat observations(int max_rows) const;

  // Raw storage, for sessions: observation rows, action rows, rewards, and per episode the index
  // of its first observation row, of its first step, and 1 if it terminated (else 0).
  std::vector<float>& obs_data() { return obs_; }
  std::vector<float>& action_data() { return actions_; }
  std::vector<double>& rewards() { return rewards_; }
  std::vector<int64_t>& obs_starts() { return obs_starts_; }
  std::vector<int64_t>& starts() { return starts_; }
  std::vector<int>& terminated() { return terminated_; }
  const std::vector<int>& terminated() const { return terminated_; }

 private:
  int obs_dim_ = 0, action_dim_ = 0;
  std::vector<float> obs_, actions_;
  std::vector<double> rewards_;
  std::vector<int64_t> obs_starts_, starts_;  // per episode: first observation row, first step
  std::vector<int> terminated_;               // per episode: 1 if it ended in a terminal state
  int64_t sequences_in(size_t episode, int K, bool absorbing) const;
};

}  // namespace dynalab
