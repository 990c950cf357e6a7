// Temporary stubs (first commit: API only); replaced by the implementations.
#include <stdexcept>

#include "core/analysis/compounding_error.h"
#include "core/analysis/disagreement_map.h"
#include "core/analysis/divergence.h"
#include "core/analysis/ensemble_size_study.h"
#include "core/analysis/error_vs_distance.h"
#include "core/analysis/knn.h"
#include "core/analysis/visitation.h"

namespace dynalab {
namespace {
[[noreturn]] void todo() { throw std::logic_error("core/analysis: not implemented yet"); }
}  // namespace
Eigen::RowVectorXd column_scale(const Eigen::MatrixXd&) { todo(); }
Eigen::MatrixXd subsample_rows(const Eigen::MatrixXd&, int, Rng&) { todo(); }
Eigen::VectorXd knn_distance(const Eigen::MatrixXd&, const Eigen::MatrixXd&, int,
                             const Eigen::RowVectorXd&, bool) { todo(); }
KnnKlResult knn_kl_divergence(const Eigen::MatrixXd&, const Eigen::MatrixXd&, const KnnKlOptions&) { todo(); }
VisitationHistograms visitation_histograms(const Eigen::MatrixXd&, const Eigen::MatrixXd&,
                                           const VisitationOptions&) { todo(); }
DisagreementMap disagreement_map(const Ensemble&, const Vec&, const Vec&, const SliceAxis&,
                                 const SliceAxis&, const DisagreementOptions&) { todo(); }
DisagreementSlice disagreement_slice(const Ensemble&, const Vec&, const Vec&, const SliceAxis&,
                                     const DisagreementOptions&) { todo(); }
ErrorVsDistance error_vs_distance(const Eigen::MatrixXd&, const Eigen::MatrixXd&,
                                  const Eigen::VectorXd&, const ErrorVsDistanceOptions&) { todo(); }
ErrorVsDistance error_vs_distance(const Ensemble&, const Dataset&, const Dataset&,
                                  const ErrorVsDistanceOptions&) { todo(); }
Eigen::MatrixXd predict_next_mean(const Ensemble&, const Eigen::MatrixXd&, const Eigen::MatrixXd&,
                                  bool) { todo(); }
std::vector<Trajectory> split_trajectories(const Dataset&) { todo(); }
CompoundingError compounding_error(const Ensemble&, const std::vector<Trajectory>&,
                                   const CompoundingErrorOptions&) { todo(); }
EnsembleSizeStudy::EnsembleSizeStudy(const Dataset& data, const ModelConfig&,
                                     const EnsembleSizeStudyConfig&)
    : train_(data.obs_dim(), data.action_dim()), val_(data.obs_dim(), data.action_dim()) { todo(); }
EnsembleSizeStudy::~EnsembleSizeStudy() = default;
EnsembleSizeStudy::EnsembleSizeStudy(EnsembleSizeStudy&&) noexcept = default;
EnsembleSizeStudy& EnsembleSizeStudy::operator=(EnsembleSizeStudy&&) noexcept = default;
bool EnsembleSizeStudy::step() { todo(); }
const std::vector<EnsembleSizePoint>& EnsembleSizeStudy::run() { todo(); }
bool EnsembleSizeStudy::done() const { todo(); }
double EnsembleSizeStudy::progress() const { todo(); }
int EnsembleSizeStudy::current_size() const { todo(); }
std::vector<EnsembleSizePoint> ensemble_size_study(const Dataset&, const ModelConfig&,
                                                   const EnsembleSizeStudyConfig&) { todo(); }
}  // namespace dynalab
