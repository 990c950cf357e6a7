#include "core/agents/mpc/system_id_view.h"

#include <cmath>
#include <cstdio>

#include "core/io/csv.h"

namespace dynalab {

namespace {
// The x axis of both figures: the parameters by index, "1 engine_accel, 2 damping, 3 gravity".
std::string parameter_axis(const ParametricDynamics& f) {
  std::string names;
  for (size_t j = 0; j < f.names.size(); ++j)
    names += (j ? ", " : "") + std::to_string(j + 1) + " " + f.names[j];
  return names;
}
}  // namespace

Figure system_id_figure(const SystemIdModel& model) {
  const ParametricDynamics& f = model.form();
  // Both series first: series_named may grow the vector.
  Figure fig{"system_id", "Fitted vs true parameters", parameter_axis(f), "value (its own unit)", {}, false, true};
  fig.series_named("true");
  fig.series_named("fitted");
  if (model.fits() == 0) return fig;
  const auto& p = model.last_fit().params;
  for (size_t j = 0; j < f.true_values.size(); ++j) {
    fig.series[0].x.push_back(double(j + 1));
    fig.series[0].y.push_back(f.true_values[j]);
    if (j < p.size() && std::isfinite(p[j])) {
      fig.series[1].x.push_back(double(j + 1));
      fig.series[1].y.push_back(p[j]);
    }
  }
  return fig;
}

Figure system_id_ratio_figure(const SystemIdModel& model) {
  const ParametricDynamics& f = model.form();
  Figure fig{"system_id_ratio", "Fitted / true parameter (1 = exact)", parameter_axis(f), "fitted / true", {}, false,
             true};
  Series& s = fig.series_named("fitted vs true");
  if (model.fits() == 0) return fig;
  const auto& p = model.last_fit().params;
  for (size_t j = 0; j < p.size() && j < f.true_values.size(); ++j)
    if (std::isfinite(p[j]) && f.true_values[j] != 0) {
      s.x.push_back(double(j + 1));
      s.y.push_back(p[j] / f.true_values[j]);
    }
  return fig;
}

void add_system_id_stats(const SystemIdModel& model,
                         std::vector<std::pair<std::string, std::string>>& stats) {
  const ParametricDynamics& f = model.form();
  if (model.fits() == 0) {
    stats.push_back({"system id", "not fit yet"});
    return;
  }
  const SystemIdFit& fit = model.last_fit();
  for (size_t j = 0; j < fit.params.size() && j < f.names.size(); ++j)
    stats.push_back({f.names[j], short_number(fit.params[j]) + " " + f.units[j] + " (true " +
                                     short_number(f.true_values[j]) + ")"});
  stats.push_back({"fit", std::to_string(fit.transitions) + " transitions" +
                              (fit.outside ? " (" + std::to_string(fit.outside) +
                                                 " outside the equations left out)"
                                           : std::string()) +
                              ", residual RMS " +
                              short_number(std::sqrt(fit.residual_mse)) +
                              (fit.identifiable() ? "" : ", NOT identifiable (rank " +
                                                             std::to_string(fit.rank) + ")")});
}

std::string system_id_csv(const SystemIdModel& model) {
  const ParametricDynamics& f = model.form();
  const SystemIdFit& fit = model.last_fit();
  std::string out = "parameter,unit,fitted,true\n";
  for (size_t j = 0; j < f.names.size(); ++j)
    out += f.names[j] + "," + f.units[j] + "," +
           format_number(j < fit.params.size() ? fit.params[j] : std::nan("")) + "," +
           format_number(f.true_values[j]) + "\n";
  const Eigen::VectorXd truth = f.coefficients_of ? f.coefficients_of(f.true_values) : Eigen::VectorXd();
  for (long j = 0; j < fit.theta.size(); ++j)
    out += "theta_" + std::to_string(j) + ",," + format_number(fit.theta[j]) + "," +
           format_number(j < truth.size() ? truth[j] : std::nan("")) + "\n";
  return out;
}

}  // namespace dynalab
