#include "core/background_worker.h"

#include <algorithm>

namespace dynalab {

BackgroundWorker::BackgroundWorker(std::function<void()> on_start)
    : thread_([this, f = std::move(on_start)] { run(f); }) {}

BackgroundWorker::~BackgroundWorker() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  thread_.join();
}

void BackgroundWorker::submit(const std::string& slot, std::function<void()> job) {
  {
    std::lock_guard lk(mu_);
    auto it = std::find_if(queue_.begin(), queue_.end(), [&](const auto& q) { return q.first == slot; });
    if (it != queue_.end())
      it->second = std::move(job);  // keeps its place in the queue: no starvation by resubmits
    else
      queue_.emplace_back(slot, std::move(job));
  }
  cv_.notify_all();
}

void BackgroundWorker::cancel(const std::string& slot) {
  std::lock_guard lk(mu_);
  queue_.erase(std::remove_if(queue_.begin(), queue_.end(), [&](const auto& q) { return q.first == slot; }),
               queue_.end());
  if (queue_.empty() && !busy_) idle_cv_.notify_all();
}

bool BackgroundWorker::idle() const {
  std::lock_guard lk(mu_);
  return queue_.empty() && !busy_;
}

void BackgroundWorker::wait_idle() {
  std::unique_lock lk(mu_);
  idle_cv_.wait(lk, [this] { return queue_.empty() && !busy_; });
}

void BackgroundWorker::run(const std::function<void()>& on_start) {
  if (on_start) on_start();
  std::unique_lock lk(mu_);
  while (true) {
    cv_.wait(lk, [this] { return stop_ || !queue_.empty(); });
    if (stop_) return;
    auto job = std::move(queue_.front().second);
    queue_.pop_front();
    busy_ = true;
    lk.unlock();
    try {
      job();
    } catch (...) {
      // Jobs report their own errors (the lab's jobs store the message for the view).
    }
    job = nullptr;  // captured state is released off the lock
    lk.lock();
    busy_ = false;
    if (queue_.empty()) idle_cv_.notify_all();
  }
}

}  // namespace dynalab
