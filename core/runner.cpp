#include "core/runner.h"

#include <algorithm>
#include <exception>

namespace dynalab {

namespace {
constexpr std::chrono::milliseconds kRateWindow{
    500};  // ticks/s is averaged over this much wall time
}

Runner::Runner(double publish_hz, std::function<void()> on_worker_start)
    : publish_period_(
          std::chrono::nanoseconds(static_cast<int64_t>(1e9 / std::max(1.0, publish_hz)))),
      thread_([this, f = std::move(on_worker_start)] { worker(f); }) {}

Runner::~Runner() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  thread_.join();
}

void Runner::push(std::function<void()> fn) {
  {
    std::lock_guard lk(mu_);
    queue_.push_back(std::move(fn));
  }
  cv_.notify_all();
}

void Runner::error(const std::string& what) {
  std::lock_guard lk(mu_);
  errors_.push_back(what);
}

void Runner::build(uint64_t seed) {
  if (!factory_) return;
  std::unique_ptr<Experiment> fresh;
  try {
    fresh = factory_(seed);
  } catch (const std::exception& e) {
    error(e.what());  // the current experiment keeps running
    return;
  }
  install(std::move(fresh), seed);
}

void Runner::install(std::unique_ptr<Experiment> exp, uint64_t seed) {
  exp_ = std::move(exp);
  std::lock_guard lk(mu_);
  status_.playing = false;
  status_.pending_ticks = 0;
  status_.ticks = 0;
  status_.seed = seed;
  status_.finished = exp_ ? exp_->finished() : true;
  status_.has_experiment = exp_ != nullptr;
  status_.progress = exp_ ? exp_->progress() : Progress{};
  ++status_.generation;
  rate_t0_ = Clock::now();
  rate_ticks0_ = 0;
}

void Runner::load(Factory factory, uint64_t seed) {
  push([this, f = std::move(factory), seed]() mutable {
    Factory old = std::move(factory_);
    factory_ = std::move(f);
    const uint64_t gen = status().generation;
    build(seed);
    if (status().generation == gen)
      factory_ = std::move(old);  // failed: keep resetting the old one
  });
}

void Runner::reset(uint64_t seed) {
  push([this, seed] { build(seed); });
}

void Runner::set_experiment(std::unique_ptr<Experiment> exp, uint64_t seed) {
  auto holder = std::make_shared<std::unique_ptr<Experiment>>(std::move(exp));
  push([this, holder, seed] {
    factory_ = nullptr;
    install(std::move(*holder), seed);
  });
}

void Runner::play() {
  push([this] {
    std::lock_guard lk(mu_);
    status_.playing = true;
    next_tick_ = Clock::now();
  });
}

void Runner::pause() {
  push([this] {
    std::lock_guard lk(mu_);
    status_.playing = false;
    status_.pending_ticks = 0;
  });
}

void Runner::step(int64_t n) {
  push([this, n] {
    std::lock_guard lk(mu_);
    status_.playing = false;
    // A finished experiment takes no ticks (e.g. a loaded session saved at its end): none pend.
    if (!status_.finished) status_.pending_ticks += std::max<int64_t>(0, n);
  });
}

void Runner::set_speed(double ticks_per_second) {
  push([this, ticks_per_second] {
    std::lock_guard lk(mu_);
    status_.speed = std::max(0.0, ticks_per_second);
    next_tick_ = Clock::now();
  });
}

void Runner::post(Command cmd) {
  push([this, c = std::move(cmd)] {
    if (exp_) c(*exp_);
  });
}

std::shared_ptr<const Snapshot> Runner::latest() const {
  std::lock_guard lk(mu_);
  return latest_;
}

RunnerStatus Runner::status() const {
  std::lock_guard lk(mu_);
  return status_;
}

std::vector<std::string> Runner::take_errors() {
  std::lock_guard lk(mu_);
  return std::exchange(errors_, {});
}

bool Runner::idle() const {
  std::lock_guard lk(mu_);
  const bool ticking =
      status_.has_experiment && !status_.finished && (status_.playing || status_.pending_ticks > 0);
  return queue_.empty() && !busy_ && !ticking;
}

bool Runner::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lk(mu_);
  return idle_cv_.wait_for(lk, timeout, [this] {
    const bool ticking = status_.has_experiment && !status_.finished &&
                         (status_.playing || status_.pending_ticks > 0);
    return queue_.empty() && !busy_ && !ticking;
  });
}

void Runner::publish() {
  if (!exp_) return;
  std::shared_ptr<const Snapshot> snap = exp_->snapshot();
  std::lock_guard lk(mu_);
  status_.progress = progress_of(*snap);
  latest_ = std::move(snap);
  last_publish_ = Clock::now();
}

void Runner::worker(const std::function<void()>& on_start) {
  if (on_start) on_start();
  std::unique_lock lk(mu_);
  while (!stop_) {
    if (!queue_.empty()) {
      auto fn = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      lk.unlock();
      try {
        fn();
      } catch (const std::exception& e) {
        error(e.what());
      }
      publish();  // the GUI sees the effect of every command at once, even while paused
      lk.lock();
      busy_ = false;
      continue;
    }
    const bool ticking =
        exp_ && !status_.finished && (status_.playing || status_.pending_ticks > 0);
    if (!ticking) {
      status_.ticks_per_second = 0;
      idle_cv_.notify_all();
      cv_.wait(lk);
      continue;
    }
    const auto now = Clock::now();
    if (status_.playing && status_.speed > 0) {
      if (now < next_tick_) {
        cv_.wait_until(lk, next_tick_);
        continue;
      }
      const auto period = std::chrono::nanoseconds(static_cast<int64_t>(1e9 / status_.speed));
      // Never burst to catch up after a slow tick or a pause: at most 100 ms of backlog.
      next_tick_ = std::max(next_tick_ + period, now - std::chrono::milliseconds(100));
    }
    busy_ = true;
    lk.unlock();
    bool failed = false;
    try {
      exp_->tick();
    } catch (const std::exception& e) {
      error(std::string("tick failed: ") + e.what());
      failed = true;
    }
    const bool finished = exp_->finished();
    Progress progress = exp_->progress();
    lk.lock();
    status_.progress = std::move(progress);
    ++status_.ticks;
    status_.finished = finished;
    bool publish_now = finished || failed;
    if (status_.pending_ticks > 0 && --status_.pending_ticks == 0) publish_now = true;
    if (finished || failed) status_.playing = false, status_.pending_ticks = 0;
    const auto t = Clock::now();
    if (t - rate_t0_ >= kRateWindow) {
      status_.ticks_per_second = static_cast<double>(status_.ticks - rate_ticks0_) /
                                 std::chrono::duration<double>(t - rate_t0_).count();
      rate_t0_ = t;
      rate_ticks0_ = status_.ticks;
    }
    if (publish_now || t - last_publish_ >= publish_period_) {
      lk.unlock();
      publish();
      lk.lock();
    }
    // Busy until the snapshot is out: wait_idle() must never return between the last tick of a
    // step and its publication (a spurious wake-up there saw the old snapshot).
    busy_ = false;
  }
}

}  // namespace dynalab
