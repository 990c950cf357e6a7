// The recorder on synthetic frames (no window, no GL): every pushed frame is in the decoded
// file at the asked size, the same frames give the same bytes, a full queue counts its drops,
// bad paths and a write error (a file-size limit standing in for a full disk) give one-line
// errors naming the file and leave no partial file.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <sys/resource.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "app/gui/video_decoder.h"
#include "app/gui/video_recorder.h"

namespace fs = std::filesystem;
using namespace dynalab;

namespace {

fs::path out_dir() {
  const fs::path d = fs::temp_directory_path() / ("dynalab_video_test_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

/// Frame `i`: a light grey background with a blue square moving right by 4 px per frame
/// (colours on the GIF's fixed palette, so the GIF decodes exactly).
std::vector<uint8_t> frame(int i, int w, int h) {
  std::vector<uint8_t> px(size_t(w) * h * 4);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      uint8_t* p = &px[(size_t(y) * w + x) * 4];
      const bool in = x >= 4 * i % w && x < 4 * i % w + 40 && y >= 30 && y < 70;
      p[0] = in ? 0 : 204, p[1] = in ? 102 : 204, p[2] = in ? 204 : 204, p[3] = 255;
    }
  return px;
}

/// Incompressible frames: a write error comes after a few frames, and the encoder falls behind.
std::vector<uint8_t> noise(uint32_t seed, int w, int h) {
  std::vector<uint8_t> px(size_t(w) * h * 4);
  for (auto& b : px) b = uint8_t((seed = seed * 1664525u + 1013904223u) >> 24);
  return px;
}

VideoRecorder::Result record(const fs::path& file, int n, int w, int h, int out_w, int out_h) {
  VideoRecorder r;
  VideoOptions o;
  o.width = out_w, o.height = out_h, o.fps = 30, o.block_when_full = true;
  REQUIRE(r.open(file.string(), o) == "");
  for (int i = 0; i < n; ++i) REQUIRE(r.push(frame(i, w, h), w, h));
  return r.close();
}

std::string bytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

}  // namespace

TEST_CASE("an MP4 holds every pushed frame at the even size, close to the input") {
  CHECK(h264_encoder_name() == "libx264");
  const fs::path f = out_dir() / "square.mp4";
  const auto r = record(f, 45, 321, 241, 321, 241);
  INFO(r.message);
  REQUIRE(r.ok);
  CHECK(r.frames == 45);
  CHECK(r.message.find("recorded " + f.string() + ": 45 frames (1.5 s at 30 fps), 320x240") == 0);
  CHECK(!fs::exists(out_dir() / "square.partial.mp4"));
  double diff = -1;
  const DecodedVideo v = decode_video(f.string(), [&](int64_t i, const uint8_t* rgb, int w, int h) {
    if (i != 20) return;
    // The encoder saw the 321x241 frame scaled to 320x240: compare away from the square's edges.
    const auto src = frame(20, 321, 241);
    double s = 0;
    for (int y = 0; y < 20; ++y)
      for (int x = 0; x < w; ++x)
        for (int c = 0; c < 3; ++c) s += std::abs(int(rgb[(size_t(y) * w + x) * 3 + c]) - int(src[(size_t(y) * 321 + x) * 4 + c]));
    diff = s / (20.0 * w * 3);
    (void)h;
  });
  REQUIRE(v.error == "");
  CHECK(v.codec == "h264");
  CHECK(v.frames == 45);
  CHECK(v.width == 320);
  CHECK(v.height == 240);
  CHECK(v.fps == doctest::Approx(30));
  CHECK(diff >= 0);
  CHECK(diff < 3);  // the flat grey survives 4:2:0 and the BT.709 round trip
}

TEST_CASE("a GIF holds every frame, exactly for palette colours, scaled to the asked size") {
  const fs::path f = out_dir() / "square.gif";
  const auto r = record(f, 30, 400, 300, 200, 150);
  INFO(r.message);
  REQUIRE(r.ok);
  int64_t exact = -1;
  const DecodedVideo v = decode_video(f.string(), [&](int64_t i, const uint8_t* rgb, int w, int h) {
    if (i == 0) exact = rgb[0] == 204 && rgb[1] == 204 && rgb[2] == 204 && w == 200 && h == 150;
  });
  REQUIRE(v.error == "");
  CHECK(v.codec == "gif");
  CHECK(v.frames == 30);
  CHECK(v.width == 200);
  CHECK(v.height == 150);
  CHECK(exact == 1);
}

TEST_CASE("the same frames give the same file, byte for byte") {
  for (const char* ext : {".mp4", ".gif"}) {
    const fs::path a = out_dir() / (std::string("a") + ext), b = out_dir() / (std::string("b") + ext);
    REQUIRE(record(a, 20, 160, 120, 160, 120).ok);
    REQUIRE(record(b, 20, 160, 120, 160, 120).ok);
    CHECK(bytes(a).size() > 100);
    CHECK(bytes(a) == bytes(b));
  }
}

TEST_CASE("a full queue drops frames and counts every one") {
  const fs::path f = out_dir() / "drops.mp4";
  VideoRecorder r;
  VideoOptions o;
  o.width = 640, o.height = 480, o.queue_frames = 1;  // GUI mode: never waits
  REQUIRE(r.open(f.string(), o) == "");
  int accepted = 0, refused = 0;
  const auto px = noise(7, 640, 480);
  for (int i = 0; i < 40; ++i) (r.push(px, 640, 480) ? accepted : refused)++;
  const auto res = r.close();
  INFO(res.message);
  REQUIRE(res.ok);
  CHECK(res.frames == accepted);
  CHECK(res.dropped == refused);
  CHECK(refused > 0);  // 40 pushes in microseconds against an encoder taking milliseconds each
  CHECK(res.message.find(std::to_string(refused) + " frames dropped (the encoder was behind)") !=
        std::string::npos);
  CHECK(decode_video(f.string()).frames == accepted);
}

TEST_CASE("bad paths: one line naming the file, nothing created") {
  VideoRecorder r;
  VideoOptions o;
  o.width = 64, o.height = 64;
  const std::string avi = (out_dir() / "x.avi").string();
  CHECK(r.open(avi, o) == avi + ": unknown video format '.avi' (expected .mp4 or .gif)");
  const std::string missing = (out_dir() / "no_such_folder" / "x.mp4").string();
  CHECK(r.open(missing, o) ==
        missing + ": no such folder " + (out_dir() / "no_such_folder").string());
  // /proc takes no new files, even from root (whose permission checks pass elsewhere).
  const std::string e = r.open("/proc/dynalab_test.mp4", o);
  CHECK(e.find("/proc/dynalab_test.mp4: folder /proc is not writable (") == 0);
  CHECK(e.find('\n') == std::string::npos);
  CHECK(!r.is_open());
  o.width = 1;
  const std::string tiny = (out_dir() / "tiny.mp4").string();
  CHECK(r.open(tiny, o).find(tiny + ": bad recording size 1x64") == 0);
  CHECK(!fs::exists(out_dir() / "tiny.partial.mp4"));
}

TEST_CASE("a write error stops the recording with one line and removes the partial file") {
  // A file-size limit makes writes past 200 KB fail with EFBIG, as a full disk fails them with
  // ENOSPC (SIGXFSZ ignored so the write returns the error). Restored afterwards.
  std::signal(SIGXFSZ, SIG_IGN);
  rlimit old{};
  getrlimit(RLIMIT_FSIZE, &old);
  rlimit lim = old;
  lim.rlim_cur = 200 * 1024;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &lim) == 0);
  for (const char* ext : {".mp4", ".gif"}) {
    const fs::path f = out_dir() / (std::string("full") + ext);
    VideoRecorder r;
    VideoOptions o;
    o.width = 320, o.height = 240, o.block_when_full = true;
    REQUIRE(r.open(f.string(), o) == "");
    int pushed = 0;
    for (int i = 0; i < 200 && r.push(noise(uint32_t(i), 320, 240), 320, 240); ++i) ++pushed;
    const auto res = r.close();
    INFO(res.message);
    CHECK(!res.ok);
    CHECK(pushed < 200);  // it stopped taking frames once the write failed
    CHECK(res.message.find(f.string() + ": cannot write (File too large)") == 0);
    CHECK(res.message.find("partial file removed") != std::string::npos);
    CHECK(res.message.find('\n') == std::string::npos);
    CHECK(!fs::exists(f));
    CHECK(!fs::exists(out_dir() / (std::string("full.partial") + ext)));
  }
  setrlimit(RLIMIT_FSIZE, &old);
  fs::remove_all(out_dir());
}
