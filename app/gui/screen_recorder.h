#pragma once
// Record in the GUI: reads a region of each rendered frame back (read_framebuffer, as the PNG
// export does) and feeds the VideoRecorder. Two clocks:
//  - live (the Record button, F9): frames are taken on the wall clock at the chosen rate; when
//    the GUI draws slower than that rate the last frame is repeated so the video keeps real time;
//    the encoder's queue never blocks the frame loop, a frame it cannot take is dropped and counted.
//  - simulated (headless --record): the caller decides which rendered frames are video frames
//    (one per fixed amount of learning); push waits for the encoder, nothing is dropped, so the
//    same command gives the same video on every machine.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "app/gui/video_recorder.h"

namespace dynalab {

/// What to record and how, as the Record panel (and the headless flags) set it.
struct RecordOptions {
  enum class Region { window, viewport };
  Region region = Region::window;
  VideoFormat format = VideoFormat::mp4;
  int fps = 30;       ///< video frames per second, 1..60
  float scale = 1.0f; ///< output size / region size, 0.1..1
};

/// A region of the window in framebuffer pixels (origin top-left).
struct PixelBox {
  int x = 0, y = 0, w = 0, h = 0;
};

class ScreenRecorder {
 public:
  using Clock = std::chrono::steady_clock;
  /// Starts recording `path` from `region` (its size fixes the video's size, times `o.scale`).
  /// `simulated`: the headless clock (see above). Returns "" or a one-line error naming the file.
  std::string start(const std::string& path, const RecordOptions& o, PixelBox region,
                    bool simulated);
  bool active() const { return rec_ && rec_->is_open(); }
  /// Live clock: reads `region` of the frame just rendered (`fb_h`: framebuffer height) and
  /// queues it as many times as video frames fell due since the last call (0 while ahead).
  /// Returns "" or a read-back error (the caller stops).
  std::string capture_live(PixelBox region, int fb_h);
  /// Simulated clock: reads `region` and queues it as the next video frame (waits for room).
  /// Returns "" or an error.
  std::string capture_frame(PixelBox region, int fb_h);
  /// True once the encoder failed (e.g. a full disk): stop() gives the one-line message.
  bool failed() const { return rec_ && rec_->failed(); }
  /// Finalises the file; the one-line result ("recorded FILE: ..." or "error: FILE: ...").
  VideoRecorder::Result stop();
  /// Video frames queued or dropped so far, and seconds of video (frames / fps).
  int64_t frames() const { return frames_; }
  int64_t dropped() const { return rec_ ? rec_->frames_dropped() : 0; }
  double seconds() const { return rec_ ? double(frames_ + dropped()) / rec_->fps() : 0.0; }
  const std::string& path() const { return path_; }

 private:
  std::string read_and_push(PixelBox region, int fb_h, int copies);
  std::unique_ptr<VideoRecorder> rec_;
  std::string path_;
  Clock::time_point t0_{};
  int64_t frames_ = 0;  // video frames accepted by the recorder
  int64_t due_ = 0;     // live clock: video frames handed over or dropped so far
};

/// "REC 1:05" (minutes:seconds) and ", 3 dropped" when frames were dropped: the indicator.
std::string recording_label(double seconds, int64_t dropped);

}  // namespace dynalab
