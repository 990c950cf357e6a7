#include "app/gui/video_decoder.h"
#include "app/gui/av_error_text.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

#include <memory>
#include <vector>

namespace dynalab {

namespace {
// Owners of the libav objects, freed on every return path.
struct Demuxer {
  AVFormatContext* fmt = nullptr;
  AVCodecContext* dec = nullptr;
  AVFrame* frame = av_frame_alloc();
  AVPacket* pkt = av_packet_alloc();
  SwsContext* sws = nullptr;
  ~Demuxer() {
    sws_freeContext(sws);
    av_packet_free(&pkt);
    av_frame_free(&frame);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
  }
};
}  // namespace

DecodedVideo decode_video(const std::string& path,
                          const std::function<void(int64_t, const uint8_t*, int, int)>& on_frame) {
  DecodedVideo out;
  av_log_set_level(AV_LOG_ERROR);
  Demuxer d;
  const auto fail = [&](const std::string& what, int e) {
    out.error = path + ": " + what + (e < 0 ? " (" + av_error_text(e) + ")" : "");
    return out;
  };
  int e = avformat_open_input(&d.fmt, path.c_str(), nullptr, nullptr);
  if (e < 0) return fail("cannot open", e);
  if ((e = avformat_find_stream_info(d.fmt, nullptr)) < 0) return fail("cannot read the streams", e);
  const AVCodec* codec = nullptr;
  const int si = av_find_best_stream(d.fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  if (si < 0 || !codec) return fail("no video stream", si);
  AVStream* st = d.fmt->streams[si];
  d.dec = avcodec_alloc_context3(codec);
  if (!d.dec || avcodec_parameters_to_context(d.dec, st->codecpar) < 0)
    return fail("cannot set up the decoder", -1);
  d.dec->thread_count = 1;
  if ((e = avcodec_open2(d.dec, codec, nullptr)) < 0) return fail("cannot open the decoder", e);
  out.codec = codec->name;
  out.fps = st->avg_frame_rate.den ? av_q2d(st->avg_frame_rate) : 0;
  uint64_t hash = 1469598103934665603ull;
  std::vector<uint8_t> rgb;
  const auto take = [&]() -> std::string {
    for (;;) {
      const int r = avcodec_receive_frame(d.dec, d.frame);
      if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return "";
      if (r < 0) return "cannot decode frame " + std::to_string(out.frames) + " (" + av_error_text(r) + ")";
      const int w = d.frame->width, h = d.frame->height;
      out.width = w, out.height = h;
      // Full chroma interpolation: swscale's fast YUV -> RGB path reads 2-3 levels dark.
      d.sws = sws_getCachedContext(d.sws, w, h, AVPixelFormat(d.frame->format), w, h,
                                   AV_PIX_FMT_RGB24,
                                   SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT | SWS_BITEXACT,
                                   nullptr, nullptr, nullptr);
      if (!d.sws) return "cannot convert frames to RGB";
      if (d.frame->colorspace != AVCOL_SPC_UNSPECIFIED && d.frame->format != AV_PIX_FMT_PAL8) {
        // The file's own colour tags (the recorder writes BT.709 limited range).
        const int cs = d.frame->colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_DEFAULT;
        sws_setColorspaceDetails(d.sws, sws_getCoefficients(cs),
                                 d.frame->color_range == AVCOL_RANGE_JPEG,
                                 sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
      }
      rgb.resize(size_t(w) * h * 3);
      uint8_t* dst[4] = {rgb.data(), nullptr, nullptr, nullptr};
      const int stride[4] = {3 * w, 0, 0, 0};
      sws_scale(d.sws, d.frame->data, d.frame->linesize, 0, h, dst, stride);
      for (uint8_t b : rgb) hash = (hash ^ b) * 1099511628211ull;
      if (on_frame) on_frame(out.frames, rgb.data(), w, h);
      ++out.frames;
      av_frame_unref(d.frame);
    }
  };
  while ((e = av_read_frame(d.fmt, d.pkt)) >= 0) {
    if (d.pkt->stream_index == si) {
      const int s = avcodec_send_packet(d.dec, d.pkt);
      av_packet_unref(d.pkt);
      if (s < 0) return fail("cannot decode", s);
      if (std::string err = take(); !err.empty()) return fail(err, 0);
    } else {
      av_packet_unref(d.pkt);
    }
  }
  if (e != AVERROR_EOF) return fail("cannot read", e);
  avcodec_send_packet(d.dec, nullptr);  // drain the decoder's delayed frames
  if (std::string err = take(); !err.empty()) return fail(err, 0);
  out.rgb_hash = hash;
  return out;
}

}  // namespace dynalab
