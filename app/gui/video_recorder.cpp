#include "app/gui/video_recorder.h"

extern "C" {
#include <libavcodec/avcodec.h>
}

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "app/gui/video_encoder.h"

namespace dynalab {

namespace fs = std::filesystem;

std::optional<VideoFormat> video_format_of(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".mp4") return VideoFormat::mp4;
  if (ext == ".gif") return VideoFormat::gif;
  return std::nullopt;
}

std::string check_video_path(const std::string& path) {
  if (path.empty()) return "--record: expected FILE.mp4 or FILE.gif, got ''";
  if (!video_format_of(path))
    return path + ": unknown video format '" + fs::path(path).extension().string() +
           "' (expected .mp4 or .gif)";
  const fs::path dir = fs::path(path).parent_path().empty() ? fs::path(".") : fs::path(path).parent_path();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return path + ": no such folder " + dir.string();
  if (fs::is_directory(path, ec)) return path + ": is a folder";
  // Create a file to find out: permission bits do not tell root about read-only mounts.
  const fs::path probe = dir / (".dynalab_write_probe_" + std::to_string(::getpid()));
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return path + ": folder " + dir.string() + " is not writable (" + std::strerror(errno) + ")";
  ::close(fd);
  fs::remove(probe, ec);
  return "";
}

std::string h264_encoder_name() {
  if (avcodec_find_encoder_by_name("libx264")) return "libx264";
  const AVCodec* c = avcodec_find_encoder(AV_CODEC_ID_H264);
  return c ? c->name : "";
}

namespace {
/// FILE.mp4 -> FILE.partial.mp4: what a reader of the folder sees while recording (and the
/// name a crash leaves behind).
std::string partial_name(const std::string& path) {
  fs::path p(path);
  return (p.parent_path() / (p.stem().string() + ".partial" + p.extension().string())).string();
}
}  // namespace

struct VideoRecorder::Impl {
  struct Frame {
    std::vector<uint8_t> rgba;
    int w, h;
  };
  std::string path, partial;
  VideoOptions opt;
  VideoEncoder enc;
  std::thread thread;
  mutable std::mutex mu;
  std::condition_variable cv;  // frames queued, room freed, closing or failure
  std::deque<Frame> queue;
  bool open = false, closing = false, closed = false;
  std::string error;  // the encoder thread's first error
  int64_t encoded = 0, dropped = 0;

  void run() {
    for (;;) {
      Frame f;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return !queue.empty() || closing; });
        if (queue.empty()) break;  // closing and drained
        f = std::move(queue.front());
        queue.pop_front();
      }
      cv.notify_all();  // room for a waiting push()
      const std::string e = enc.write(f.rgba.data(), f.w, f.h);
      std::lock_guard lock(mu);
      if (!e.empty()) {
        error = e;
        queue.clear();
        cv.notify_all();
        return;
      }
      encoded = enc.frames_written();
    }
    const std::string e = enc.finish();
    std::lock_guard lock(mu);
    if (!e.empty()) error = e;
  }
};

VideoRecorder::VideoRecorder() : impl_(std::make_unique<Impl>()) {}
VideoRecorder::~VideoRecorder() { close(); }

std::string VideoRecorder::open(const std::string& path, const VideoOptions& o) {
  if (impl_->open) return path + ": a recording is already running (" + impl_->path + ")";
  if (std::string e = check_video_path(path); !e.empty()) return e;
  impl_ = std::make_unique<Impl>();
  Impl& m = *impl_;
  m.path = path;
  m.partial = partial_name(path);
  m.opt = o;
  m.opt.queue_frames = std::max(1, o.queue_frames);
  if (std::string e = m.enc.open(m.partial, path, *video_format_of(path), m.opt); !e.empty()) {
    std::error_code ec;
    fs::remove(m.partial, ec);
    return e;
  }
  m.open = true;
  m.thread = std::thread([&m] { m.run(); });
  return "";
}

bool VideoRecorder::push(std::vector<uint8_t> rgba, int w, int h) {
  Impl& m = *impl_;
  if (w <= 0 || h <= 0 || rgba.size() != size_t(w) * h * 4) return false;
  std::unique_lock lock(m.mu);
  if (!m.open || m.closing || !m.error.empty()) return false;
  if (m.opt.block_when_full)
    m.cv.wait(lock, [&] { return int(m.queue.size()) < m.opt.queue_frames || !m.error.empty(); });
  if (!m.error.empty()) return false;
  if (int(m.queue.size()) >= m.opt.queue_frames) {
    ++m.dropped;  // shown by the caller, never silent
    return false;
  }
  m.queue.push_back({std::move(rgba), w, h});
  lock.unlock();
  m.cv.notify_all();
  return true;
}

VideoRecorder::Result VideoRecorder::close() {
  Impl& m = *impl_;
  Result r;
  {
    std::lock_guard lock(m.mu);
    if (!m.open) return r;
    m.closing = true;
  }
  m.cv.notify_all();
  m.thread.join();
  m.open = false;
  r.frames = m.encoded;
  r.dropped = m.dropped;
  std::error_code ec;
  const std::string drops =
      m.dropped ? ", " + std::to_string(m.dropped) + " frames dropped (the encoder was behind)" : "";
  if (m.error.empty()) fs::rename(m.partial, m.path, ec);
  if (!m.error.empty() || ec) {
    // A file without its trailer (MP4's index) does not play: remove it rather than leave a
    // broken video under the name the user asked for.
    const std::string why = !m.error.empty() ? m.error : m.path + ": cannot rename " + m.partial +
                                                             " (" + ec.message() + ")";
    fs::remove(m.partial, ec);
    r.message = why + "; recording stopped after " + std::to_string(m.encoded) +
                " frames, partial file " + (ec ? m.partial + " left behind" : "removed") + drops;
    return r;
  }
  char b[120];
  std::snprintf(b, sizeof b, ": %lld frames (%.1f s at %d fps), %dx%d, %.2f MB",
                (long long)m.encoded, double(m.encoded) / m.opt.fps, m.opt.fps, m.enc.width(),
                m.enc.height(), double(fs::file_size(m.path, ec)) / 1e6);
  r.ok = true;
  r.message = "recorded " + m.path + b + drops;
  return r;
}

bool VideoRecorder::is_open() const {
  std::lock_guard lock(impl_->mu);
  return impl_->open && !impl_->closing;
}
bool VideoRecorder::failed() const {
  std::lock_guard lock(impl_->mu);
  return !impl_->error.empty();
}
int64_t VideoRecorder::frames_encoded() const {
  std::lock_guard lock(impl_->mu);
  return impl_->encoded;
}
int64_t VideoRecorder::frames_dropped() const {
  std::lock_guard lock(impl_->mu);
  return impl_->dropped;
}
const std::string& VideoRecorder::path() const { return impl_->path; }
int VideoRecorder::width() const { return impl_->enc.width(); }
int VideoRecorder::height() const { return impl_->enc.height(); }
int VideoRecorder::fps() const { return impl_->opt.fps; }

}  // namespace dynalab
