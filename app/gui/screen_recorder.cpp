#include "app/gui/screen_recorder.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "app/gui/screenshot.h"

namespace dynalab {

std::string ScreenRecorder::start(const std::string& path, const RecordOptions& o, PixelBox region,
                                  bool simulated) {
  if (active()) return path + ": already recording " + path_;
  if (region.w < 2 || region.h < 2) return path + ": nothing to record (the region is empty)";
  VideoOptions v;
  const float s = std::clamp(o.scale, 0.1f, 1.0f);
  v.width = std::max(2, int(std::lround(region.w * s)));
  v.height = std::max(2, int(std::lround(region.h * s)));
  v.fps = o.fps;
  // Live: a quarter second of frames waiting at most (~6 MB each at 1600x1000), then drop;
  // simulated: the frame loop waits for room instead.
  v.queue_frames = simulated ? 4 : std::max(2, o.fps / 4);
  v.block_when_full = simulated;
  // The encoder thread keeps the normal priority (the learning workers run lowered, see
  // cpu_sharing.h): lowered, it lost the cores to them and to a build beside the app and dropped
  // three frames in four (measured); at normal priority it kept up, and the GUI thread's frame
  // build CPU time stayed the same.
  auto rec = std::make_unique<VideoRecorder>();
  if (std::string e = rec->open(path, v); !e.empty()) return e;
  rec_ = std::move(rec);
  path_ = path;
  t0_ = Clock::now();
  frames_ = due_ = 0;
  return "";
}

std::string ScreenRecorder::read_and_push(PixelBox r, int fb_h, int copies) {
  std::vector<uint8_t> px;
  if (std::string e = read_framebuffer(r.x, r.y, r.w, r.h, fb_h, 4, px); !e.empty())
    return path_ + ": " + e;
  for (int c = 0; c < copies; ++c) {
    // The last copy moves the pixels; repeats are copies (the GUI drew slower than the rate).
    if (rec_->push(c + 1 == copies ? std::move(px) : px, r.w, r.h)) ++frames_;
  }
  return "";
}

std::string ScreenRecorder::capture_live(PixelBox region, int fb_h) {
  if (!active()) return "";
  const double t = std::chrono::duration<double>(Clock::now() - t0_).count();
  const int64_t due_now = int64_t(std::floor(t * rec_->fps())) + 1;  // frame 0 at t = 0
  // Every video frame that fell due since the last call: a slow GUI frame is repeated (video
  // time stays wall time); what the queue cannot take is dropped and counted by the recorder.
  const int copies = int(due_now - due_);
  if (copies <= 0) return "";
  due_ = due_now;
  return read_and_push(region, fb_h, copies);
}

std::string ScreenRecorder::capture_frame(PixelBox region, int fb_h) {
  if (!active()) return "";
  return read_and_push(region, fb_h, 1);
}

VideoRecorder::Result ScreenRecorder::stop() {
  if (!rec_) return {};
  VideoRecorder::Result r = rec_->close();
  rec_.reset();
  return r;
}

std::string recording_label(double seconds, int64_t dropped) {
  const int s = int(seconds);
  char b[64];
  std::snprintf(b, sizeof b, "REC %d:%02d", s / 60, s % 60);
  return std::string(b) + (dropped ? ", " + std::to_string(dropped) + " dropped" : "");
}

}  // namespace dynalab
