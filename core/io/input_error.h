#pragma once
// The one exception type for bad input: at the bottom so the readers and writers in core/io
// need nothing else from core (core/config.h re-exports it).

#include <stdexcept>

namespace dynalab {

/// A bad config, maze, dataset or file: the message is one line naming the file and key.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace dynalab
