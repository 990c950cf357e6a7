#pragma once
// Records frames to MP4 (H.264) or GIF with Debian's FFmpeg libraries (libavcodec, libavformat,
// libswscale). The GUI thread hands over RGBA frames; the encoder runs on the recorder's own
// thread behind a bounded queue, so encoding never stalls the frame loop or the learning worker.
// A full queue either waits (headless recording: every frame counts, the video is deterministic)
// or drops the frame and counts it (the interactive GUI: the drop count is shown, never silent).
// The file is written as FILE.partial.EXT and renamed to FILE when it is finalised; on a write
// error (a full disk) recording stops and the partial file is removed.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dynalab {

enum class VideoFormat { mp4, gif };

/// The format named by the file's extension: ".mp4" or ".gif" (any case); nullopt otherwise.
std::optional<VideoFormat> video_format_of(const std::string& path);

/// Checks a recording target before anything renders: a known extension and an existing,
/// writable folder (tried by creating a file in it). Returns "" or a one-line error naming the
/// file.
std::string check_video_path(const std::string& path);

/// Which H.264 encoder this libavcodec offers ("libx264", another H.264 encoder's name, or "" if
/// none), for the README's claim and error messages.
std::string h264_encoder_name();

struct VideoOptions {
  int width = 0, height = 0;  ///< output size in pixels (MP4: rounded down to even, >= 2)
  int fps = 30;               ///< frames per second of the video, 1..120
  int queue_frames = 8;       ///< frames waiting for the encoder at most (each w x h x 4 bytes)
  bool block_when_full = false;  ///< true: push() waits for room (headless); false: drops and counts
};

/// One recording: open(), push() frames, close(). Not copyable; close() is called by the
/// destructor if needed (finalising the file).
class VideoRecorder {
 public:
  VideoRecorder();
  ~VideoRecorder();
  VideoRecorder(const VideoRecorder&) = delete;
  VideoRecorder& operator=(const VideoRecorder&) = delete;

  /// Opens `path` (format from its extension) for frames of the options' size and starts the
  /// encoder thread. Returns "" or a one-line error naming the file (unknown extension, folder
  /// missing or unwritable, no encoder).
  std::string open(const std::string& path, const VideoOptions& options);
  /// Queues one frame of `w` x `h` RGBA pixels, rows top first (`rgba.size() == w * h * 4`); any
  /// size: it is scaled to the output size on the encoder thread. Returns false if the frame was
  /// not queued: dropped because the queue was full (counted), or the recording failed or is
  /// closed.
  bool push(std::vector<uint8_t> rgba, int w, int h);
  struct Result {
    bool ok = false;
    std::string message;  ///< one line: "recorded FILE: ..." or "FILE: <what failed>; ..."
    int64_t frames = 0;   ///< frames in the file
    int64_t dropped = 0;  ///< frames dropped because the encoder was behind
  };
  /// Encodes what is queued, flushes the encoder, finalises the file and joins the thread.
  /// After an error the partial file is removed and the message says so. Idempotent.
  Result close();

  bool is_open() const;
  /// True once the encoder thread hit an error (the caller stops recording and calls close()).
  bool failed() const;
  int64_t frames_encoded() const;
  int64_t frames_dropped() const;
  const std::string& path() const;
  int width() const;   ///< output size actually used (MP4 rounds to even)
  int height() const;
  int fps() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dynalab
