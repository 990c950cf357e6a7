#pragma once
// An FFmpeg error code as its message (av_strerror), for the one-line errors of the video
// encoder and decoder.

extern "C" {
#include <libavutil/error.h>
}

#include <string>

namespace dynalab {

inline std::string av_error_text(int e) {
  char b[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(e, b, sizeof b);
  return b;
}

}  // namespace dynalab
