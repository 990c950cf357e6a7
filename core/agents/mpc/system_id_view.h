#pragma once
// What the planning family shows of a system-identification model (model.prediction =
// "system_id", core/models/system_id_model.h): the fitted physical parameters against the env's
// true ones, as a figure, as stats lines and as model/system_id.csv.

#include <string>
#include <utility>
#include <vector>

#include "core/figure.h"
#include "core/models/system_id_model.h"

namespace dynalab {

/// Figure "system_id": x = parameter number (1..p, in ParametricDynamics::names order), series
/// "fitted / true" (1 = exact; NaN parameters are left out). Empty before the first fit.
Figure system_id_figure(const SystemIdModel& model);
/// One stats line per parameter, "engine_accel" -> "7.97 m/s^2 (true 8)", and the residual.
void add_system_id_stats(const SystemIdModel& model,
                         std::vector<std::pair<std::string, std::string>>& stats);
/// parameter,unit,fitted,true (one row per physical parameter) and theta_<j> coefficient rows.
std::string system_id_csv(const SystemIdModel& model);

}  // namespace dynalab
