#include "app/gui/video_encoder.h"
#include "app/gui/av_error_text.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <array>
#include <cstring>

namespace dynalab {

namespace {

// GIF holds 256 colours per frame. libavfilter's palettegen is not among the packages we use,
// so GIFs get one fixed palette: the 6x6x6 colour cube (216 colours) plus 40 greys, mapped to
// the nearest entry without dithering (the app's flat fills stay flat, and compress well;
// smooth gradients such as heat maps band). MP4 has no such loss beyond H.264's.
struct FixedPalette {
  std::array<uint32_t, 256> argb{};       // AV_PIX_FMT_PAL8's palette: 0xAARRGGBB
  std::array<uint8_t, 32 * 32 * 32> lut{};  // 5 bits per channel -> nearest palette index

  FixedPalette() {
    std::array<std::array<int, 3>, 256> rgb{};
    int n = 0;
    for (int r = 0; r < 6; ++r)
      for (int g = 0; g < 6; ++g)
        for (int b = 0; b < 6; ++b) rgb[n++] = {51 * r, 51 * g, 51 * b};
    for (int i = 1; n < 256; ++i) {
      const int v = i * 255 / 41;
      rgb[n++] = {v, v, v};
    }
    for (int i = 0; i < 256; ++i)
      argb[i] = 0xFF000000u | uint32_t(rgb[i][0]) << 16 | uint32_t(rgb[i][1]) << 8 | uint32_t(rgb[i][2]);
    for (int k = 0; k < int(lut.size()); ++k) {
      // The centre of the 8-value cell this 5-bit key stands for.
      const int r = (k >> 10) * 8 + 4, g = ((k >> 5) & 31) * 8 + 4, b = (k & 31) * 8 + 4;
      int best = 0, best_d = 1 << 30;
      for (int i = 0; i < 256; ++i) {
        const int dr = r - rgb[i][0], dg = g - rgb[i][1], db = b - rgb[i][2];
        const int d = 3 * dr * dr + 4 * dg * dg + 2 * db * db;  // green counts most to the eye
        if (d < best_d) best_d = d, best = i;
      }
      lut[k] = uint8_t(best);
    }
  }
};

const FixedPalette& fixed_palette() {
  static const FixedPalette p;
  return p;
}

/// H.264 for players and slide tools: 4:2:0, BT.709 tags, a keyframe every 2 s.
void set_h264_options(AVCodecContext* enc, const AVCodec* codec, int fps) {
  enc->pix_fmt = AV_PIX_FMT_YUV420P;  // what every player and slide tool decodes
  enc->gop_size = 2 * fps;            // a keyframe every 2 s: seeking in a lecture
  // Tagged BT.709 (HD) and converted with its coefficients in write(), so players show the
  // app's colours.
  enc->colorspace = AVCOL_SPC_BT709;
  enc->color_primaries = AVCOL_PRI_BT709;
  enc->color_trc = AVCOL_TRC_BT709;
  enc->color_range = AVCOL_RANGE_MPEG;
  if (std::strcmp(codec->name, "libx264") == 0) {
    av_opt_set(enc->priv_data, "preset", "veryfast", 0);  // real time beside the GUI
    av_opt_set(enc->priv_data, "crf", "20", 0);           // sharp text and thin lines
  }
}

}  // namespace

VideoEncoder::~VideoEncoder() {
  // After a write error: libavformat 5.1's GIF muxer frees the packet it holds back (a frame's
  // delay needs the next one's time) only in its trailer; the trailer's own writes just fail.
  if (header_written_ && !trailer_written_ && format_ == VideoFormat::gif) av_write_trailer(fmt_);
  if (io_open_) avio_closep(&fmt_->pb);
  avformat_free_context(fmt_);
  avcodec_free_context(&enc_);
  av_frame_free(&frame_);
  av_frame_free(&rgba_);
  av_packet_free(&pkt_);
  sws_freeContext(sws_);
}

std::string VideoEncoder::fail(const std::string& what, int averror) const {
  return name_ + ": " + what + (averror < 0 ? " (" + av_error_text(averror) + ")" : "");
}

std::string VideoEncoder::open(const std::string& file, const std::string& name,
                               VideoFormat format, const VideoOptions& o) {
  name_ = name;
  format_ = format;
  av_log_set_level(AV_LOG_ERROR);  // x264's statistics are not for the app's terminal
  const bool gif = format == VideoFormat::gif;
  width_ = gif ? o.width : o.width & ~1;  // 4:2:0 chroma needs even sizes
  height_ = gif ? o.height : o.height & ~1;
  if (width_ < 2 || height_ < 2 || o.fps < 1 || o.fps > 120)
    return name_ + ": bad recording size " + std::to_string(o.width) + "x" +
           std::to_string(o.height) + " at " + std::to_string(o.fps) + " fps";
  int e = avformat_alloc_output_context2(&fmt_, nullptr, gif ? "gif" : "mp4", file.c_str());
  if (e < 0) return fail("cannot set up the " + std::string(gif ? "GIF" : "MP4") + " muxer", e);
  // Bit-exact: no library version strings or creation times in the file, so the same frames
  // give the same bytes.
  fmt_->flags |= AVFMT_FLAG_BITEXACT;
  const AVCodec* codec = gif ? avcodec_find_encoder(AV_CODEC_ID_GIF)
                             : avcodec_find_encoder_by_name("libx264");
  if (!gif && !codec) codec = avcodec_find_encoder(AV_CODEC_ID_H264);
  if (!codec)
    return name_ + ": this libavcodec has no " + (gif ? "GIF" : "H.264") +
           " encoder (Debian's libavcodec59 brings libx264)";
  enc_ = avcodec_alloc_context3(codec);
  stream_ = avformat_new_stream(fmt_, nullptr);
  frame_ = av_frame_alloc();
  pkt_ = av_packet_alloc();
  if (!enc_ || !stream_ || !frame_ || !pkt_) return name_ + ": out of memory";
  enc_->width = width_;
  enc_->height = height_;
  enc_->time_base = AVRational{1, o.fps};
  enc_->framerate = AVRational{o.fps, 1};
  enc_->flags |= AV_CODEC_FLAG_BITEXACT;
  // One encoder thread: the output does not depend on the machine's core count (x264 splits
  // frames differently per thread count), and the other core stays with the learning worker.
  enc_->thread_count = 1;
  if (gif) {
    enc_->pix_fmt = AV_PIX_FMT_PAL8;
  } else {
    set_h264_options(enc_, codec, o.fps);
  }
  if (fmt_->oformat->flags & AVFMT_GLOBALHEADER) enc_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  if ((e = avcodec_open2(enc_, codec, nullptr)) < 0)
    return fail("cannot open the " + std::string(codec->name) + " encoder", e);
  if ((e = avcodec_parameters_from_context(stream_->codecpar, enc_)) < 0)
    return fail("cannot set up the stream", e);
  stream_->time_base = enc_->time_base;
  stream_->avg_frame_rate = enc_->framerate;
  frame_->format = enc_->pix_fmt;
  frame_->width = width_;
  frame_->height = height_;
  if ((e = av_frame_get_buffer(frame_, 0)) < 0) return fail("out of memory", e);
  if (gif) {
    rgba_ = av_frame_alloc();
    if (!rgba_) return name_ + ": out of memory";
    rgba_->format = AV_PIX_FMT_RGBA;
    rgba_->width = width_;
    rgba_->height = height_;
    if ((e = av_frame_get_buffer(rgba_, 0)) < 0) return fail("out of memory", e);
  }
  if ((e = avio_open(&fmt_->pb, file.c_str(), AVIO_FLAG_WRITE)) < 0)
    return fail("cannot create the file", e);
  io_open_ = true;
  AVDictionary* mux = nullptr;
  if (!gif) av_dict_set(&mux, "movflags", "+faststart", 0);  // index first: plays while loading
  e = avformat_write_header(fmt_, &mux);
  av_dict_free(&mux);
  if (e < 0) return fail("cannot write the header", e);
  header_written_ = true;
  return "";
}

void VideoEncoder::to_palette(const uint8_t* rgba) {
  const FixedPalette& p = fixed_palette();
  std::memcpy(frame_->data[1], p.argb.data(), 256 * 4);
  for (int y = 0; y < height_; ++y) {
    const uint8_t* s = rgba + size_t(y) * rgba_->linesize[0];
    uint8_t* d = frame_->data[0] + size_t(y) * frame_->linesize[0];
    for (int x = 0; x < width_; ++x, s += 4)
      d[x] = p.lut[(s[0] >> 3) << 10 | (s[1] >> 3) << 5 | (s[2] >> 3)];
  }
}

std::string VideoEncoder::write(const uint8_t* rgba, int w, int h) {
  if (!header_written_) return name_ + ": not open";
  AVFrame* dst = format_ == VideoFormat::gif ? rgba_ : frame_;
  SwsContext* s = sws_getCachedContext(sws_, w, h, AV_PIX_FMT_RGBA, width_, height_,
                                       AVPixelFormat(dst->format),
                                       SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP | SWS_BITEXACT, nullptr,
                                       nullptr, nullptr);
  if (!s) return name_ + ": cannot scale " + std::to_string(w) + "x" + std::to_string(h);
  if (s != sws_ || frames_ == 0) {
    // Full-range RGB in, BT.709 limited-range YUV out (the tags set in open()).
    sws_setColorspaceDetails(s, sws_getCoefficients(SWS_CS_DEFAULT), 1,
                             sws_getCoefficients(SWS_CS_ITU709), 0, 0, 1 << 16, 1 << 16);
  }
  sws_ = s;
  int e = av_frame_make_writable(frame_);
  if (e < 0) return fail("out of memory", e);
  const uint8_t* src[4] = {rgba, nullptr, nullptr, nullptr};
  const int stride[4] = {4 * w, 0, 0, 0};
  sws_scale(sws_, src, stride, 0, h, dst->data, dst->linesize);
  if (format_ == VideoFormat::gif) to_palette(rgba_->data[0]);
  frame_->pts = frames_;
  if (const std::string err = encode(frame_); !err.empty()) return err;
  ++frames_;
  return "";
}

std::string VideoEncoder::encode(AVFrame* frame) {
  int e = avcodec_send_frame(enc_, frame);
  if (e < 0) return fail("the encoder refused a frame", e);
  while ((e = avcodec_receive_packet(enc_, pkt_)) >= 0) {
    if (pkt_->duration <= 0) pkt_->duration = 1;  // one frame: MP4's index needs durations
    av_packet_rescale_ts(pkt_, enc_->time_base, stream_->time_base);
    pkt_->stream_index = stream_->index;
    e = av_interleaved_write_frame(fmt_, pkt_);  // takes the packet's reference
    // Flushed per packet: a full disk stops the recording at this frame, not 256 KB later
    // (libavformat's file buffer), and the partial file shows its progress.
    if (e >= 0) avio_flush(fmt_->pb), e = fmt_->pb->error;
    if (e < 0) return fail("cannot write", e);
  }
  return e == AVERROR(EAGAIN) || e == AVERROR_EOF ? "" : fail("the encoder failed", e);
}

std::string VideoEncoder::finish() {
  if (!header_written_) return name_ + ": not open";
  if (std::string err = encode(nullptr); !err.empty()) return err;
  int e = av_write_trailer(fmt_);
  trailer_written_ = true;
  if (e < 0) return fail("cannot finish the file", e);
  io_open_ = false;
  if ((e = avio_closep(&fmt_->pb)) < 0) return fail("cannot close the file", e);
  return "";
}

}  // namespace dynalab
