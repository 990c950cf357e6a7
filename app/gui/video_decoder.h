#pragma once
// Reads a video back with libavformat/libavcodec, frame by frame as RGB: the recording tests
// and `video_check` count and compare what a player will show. No GL, no ImGui.

#include <cstdint>
#include <functional>
#include <string>

namespace dynalab {

struct DecodedVideo {
  std::string error;   ///< "" or a one-line error naming the file
  std::string codec;   ///< e.g. "h264", "gif"
  int64_t frames = 0;  ///< decoded frames
  int width = 0, height = 0;
  double fps = 0;          ///< the stream's average frame rate
  uint64_t rgb_hash = 0;   ///< FNV-1a over every decoded frame's RGB bytes (same frames, same hash)
};

/// Decodes every frame of `path`; `on_frame(index, rgb, w, h)` (optional) sees each one as
/// packed RGB, rows top first, w * h * 3 bytes.
DecodedVideo decode_video(
    const std::string& path,
    const std::function<void(int64_t, const uint8_t*, int, int)>& on_frame = {});

}  // namespace dynalab
