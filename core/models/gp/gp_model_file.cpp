// GpDynamics's model file (model/gp.json): what predictions need, and nothing of a fit in
// progress (the session keeps that, visit_state). JSON rather than binary: a few hundred points
// per column, and a reader can plot them.
#include <nlohmann/json.hpp>

#include "core/io/input_error.h"
#include "core/models/gp/gp_dynamics.h"

namespace dynalab {

namespace {

constexpr const char* kFormat = "dynalab-gp-1";

std::vector<double> flat(const Eigen::MatrixXd& m) {  // row-major
  std::vector<double> v;
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) v.push_back(m(i, j));
  return v;
}

}  // namespace

std::string GpDynamics::to_bytes() const {
  nlohmann::json j;
  j["format"] = kFormat;
  j["obs_dim"] = obs_dim_;
  j["action_dim"] = action_dim_;
  j["learn_reward"] = cfg_.learn_reward;
  j["fitted"] = fitted_;
  j["input_mean"] = flat(in_mean_);
  j["input_std"] = flat(in_std_);
  j["target_mean"] = flat(y_mean_);
  j["target_std"] = flat(y_std_);
  for (const gp::GaussianProcess& g : gps_) {
    const Eigen::VectorXd& t = g.params();
    j["columns"].push_back({{"theta", std::vector<double>(t.data(), t.data() + t.size())},
                            {"points", g.size()},
                            {"inputs", flat(g.inputs())},
                            {"targets", flat(g.targets())}});
  }
  return j.dump();
}

void GpDynamics::load_bytes(const std::string& bytes, const std::string& source) {
  const auto fail = [&](const std::string& key, const std::string& what) {
    throw InputError(source + ": " + key + ": expected " + what);
  };
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(bytes);
  } catch (const std::exception&) {
    fail("format", std::string("a GP model file (JSON, \"") + kFormat + "\")");
  }
  if (!j.is_object() || j.value("format", "") != kFormat)
    fail("format", std::string("\"") + kFormat + "\"");
  const int D = target_dim(), in = input_dim();
  try {
    if (j.at("obs_dim").get<int>() != obs_dim_ || j.at("action_dim").get<int>() != action_dim_ ||
        j.at("learn_reward").get<bool>() != cfg_.learn_reward)
      fail("obs_dim", "this model's shape: " + describe_shape());
    const auto row = [&](const char* key, int n) {
      const auto v = j.at(key).get<std::vector<double>>();
      if (int(v.size()) != n) fail(key, std::to_string(n) + " numbers");
      return Eigen::RowVectorXd(Eigen::Map<const Eigen::RowVectorXd>(v.data(), n));
    };
    Eigen::RowVectorXd im = row("input_mean", in), is = row("input_std", in),
                       ym = row("target_mean", D), ys = row("target_std", D);
    const auto& cols = j.at("columns");
    if (!cols.is_array() || int(cols.size()) != D) fail("columns", std::to_string(D) + " columns");
    std::vector<gp::GaussianProcess> gps;
    for (const auto& c : cols) {
      const auto theta = c.at("theta").get<std::vector<double>>();
      const long m = c.at("points").get<long>();
      const auto x = c.at("inputs").get<std::vector<double>>();
      const auto y = c.at("targets").get<std::vector<double>>();
      if (int(theta.size()) != in + 2 || m < 1 || long(x.size()) != m * in || long(y.size()) != m)
        fail("columns", "theta of " + std::to_string(in + 2) + " numbers and points x " +
                            std::to_string(in) + " inputs with one target each");
      gp::GaussianProcess g(in);
      g.set_params(Eigen::Map<const Eigen::VectorXd>(theta.data(), in + 2));
      g.set_data(Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(x.data(), m, in),
                 Eigen::Map<const Eigen::VectorXd>(y.data(), m));
      gps.push_back(std::move(g));
    }
    gps_ = std::move(gps);
    in_mean_ = im, in_std_ = is, y_mean_ = ym, y_std_ = ys;
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    fail("columns", std::string("well-formed numbers (") + e.what() + ")");
  }
  fitted_ = true;
  done_ = true;
  refresh_cache();
}

}  // namespace dynalab
