#pragma once
// The synchronous part of a recording: one FFmpeg muxer + encoder + scaler writing one file.
// VideoRecorder runs it on its own thread; nothing here is thread-safe. No GL, no ImGui.

#include <cstdint>
#include <string>

#include "app/gui/video_recorder.h"

struct AVFormatContext;
struct AVCodecContext;
struct AVStream;
struct AVFrame;
struct AVPacket;
struct SwsContext;

namespace dynalab {

class VideoEncoder {
 public:
  VideoEncoder() = default;
  ~VideoEncoder();  ///< frees everything; does not finalise (call finish())
  VideoEncoder(const VideoEncoder&) = delete;
  VideoEncoder& operator=(const VideoEncoder&) = delete;

  /// Opens `file` for writing as `format` (`o.width` x `o.height`, MP4 rounded down to even) at
  /// `o.fps`. `name` is the file named in messages (the final path; `file` may be its partial
  /// name). Returns "" or a one-line error naming `name`.
  std::string open(const std::string& file, const std::string& name, VideoFormat format,
                   const VideoOptions& o);
  /// Scales and encodes one RGBA frame (`w` x `h`, rows top first) as frame number
  /// frames_written(). Returns "" or a one-line error (a failed write: the disk is full).
  std::string write(const uint8_t* rgba, int w, int h);
  /// Flushes the encoder's delayed frames and writes the trailer; "" or a one-line error.
  std::string finish();

  int64_t frames_written() const { return frames_; }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  std::string encode(AVFrame* frame);  // nullptr: flush
  std::string fail(const std::string& what, int averror) const;
  void to_palette(const uint8_t* rgba);  // GIF: the scaled RGBA frame into the fixed palette

  VideoFormat format_ = VideoFormat::mp4;
  std::string name_;
  AVFormatContext* fmt_ = nullptr;
  AVCodecContext* enc_ = nullptr;
  AVStream* stream_ = nullptr;
  AVFrame* frame_ = nullptr;  // what the encoder gets (YUV 4:2:0 or PAL8)
  AVFrame* rgba_ = nullptr;   // GIF: the frame scaled to the output size, before the palette
  AVPacket* pkt_ = nullptr;
  SwsContext* sws_ = nullptr;
  bool header_written_ = false, trailer_written_ = false, io_open_ = false;
  int width_ = 0, height_ = 0;
  int64_t frames_ = 0;
};

}  // namespace dynalab
