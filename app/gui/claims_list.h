#pragma once
// A lesson step's checked claims (core/lesson_claims.h) in the lesson panel, under the narrative:
// each claim in words with, once the step has paused, a green tick or a red cross and the value
// measured on the variants' snapshots at the pause; before the pause a grey "measured at the
// pause". The measuring is core's check_claim on the snapshots the GUI already holds: nothing is
// asked of the worker threads.

#include <vector>

#include "core/lesson.h"

namespace dynalab {

/// The value of a claim's measure as the audience reads it: "-123.2", "0.25", "12345".
std::string claim_value_text(double v);

/// The line under a claim: "-123.2 (above -400)", "n = 50: 15, n = 0 (Q-learning): 134", or
/// why it could not be measured.
std::string claim_result_text(const LessonClaim& c, const ClaimResult& r);

/// Draws the claims of `step` at the cursor, wrapped to the column; `results` (one per claim, in
/// order) once the step has paused, else null. `line_scale` thickens the marks.
void draw_claims(const LessonStep& step, const std::vector<ClaimResult>* results,
                 float line_scale);

}  // namespace dynalab
