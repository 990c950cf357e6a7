#pragma once
// One imagined trajectory of the model-based policy gradient (Kurutach et al., "Model-Ensemble
// Trust-Region Policy Optimization", ICLR 2018; deck 001 version 2.5, deck 004 "ME-TRPO"): the
// current stochastic PPO policy acts on imagined states and a learned ensemble answers, each
// step from a uniformly random elite member ("each imaginary transition is sampled from a random
// ensemble member": ModelStepper's ts1 with one particle, its draws from the trajectory's seed).
// Every step goes straight into the PPO learner's rollout exactly as a real step would
// (ActorCriticLearner::act, then observe), so PPO trains on imagined data only, with the
// learner's own GAE, timeout bootstrap and minibatches.
//
// The action the learner samples is in env units and unclipped; the model sees it clipped to the
// env's bounds (the real env clips, and the model was fit on clipped actions), the learner keeps
// the unclipped sample for log pi(a|s), as SB3's PPO does with a real env.
// A trajectory ends at `horizon` steps (truncated: the learner bootstraps with gamma V(s_H)), at
// the env's closed-form termination (or the model's learned one where the env cannot say:
// ModelStepper's rule), or when the learner's rollout is full (the learner bootstraps at its
// rollout's end). Rewards are the stepper's (the env's closed form unless model.learn_reward).

#include <cstdint>
#include <vector>

#include "core/agents/actor_critic/actor_critic_learner.h"
#include "core/planning/model_stepper.h"
#include "core/space.h"

namespace dynalab {

/// What imagine_trajectory() produced: T <= horizon steps.
struct ImaginedTrajectory {
  std::vector<Vec> states;       ///< T + 1: s_0 (the start) .. s_T
  std::vector<int> members;      ///< T: the ensemble member (DynamicsModel index) of each step
  std::vector<double> rewards;   ///< T: r_t of each step
  bool terminated = false;       ///< the last step's transition ended the episode
  bool rollout_full = false;     ///< it stopped because the learner's rollout filled up
  int steps() const { return int(rewards.size()); }
  double total_reward() const;
};

/// Rolls the learner's stochastic policy from `start` (obs_dim) for at most `horizon` steps
/// (>= 1) through `stepper` (one row per group: one particle; ts1 for ME-TRPO's random member per
/// step; its noise and member draws from Rng::derive(seed, {0})), feeding every step to
/// `learner` (begin_episode, act, observe; `env_steps` is the run's real env steps, for the
/// learner's step-size schedule). `actions` is the env's action box (the model's actions are
/// clipped to it). Stops early when the learner's rollout fills (learner.updating() turns true).
/// Throws std::invalid_argument if the learner is still updating, horizon < 1 or the stepper has
/// more than one row per group.
ImaginedTrajectory imagine_trajectory(const ModelStepper& stepper, ActorCriticLearner& learner,
                                      const Space& actions, const Vec& start, int horizon,
                                      uint64_t seed, int64_t env_steps);

}  // namespace dynalab
