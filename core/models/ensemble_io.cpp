// Save/load of an Ensemble. The file is little-endian binary:
//   char[8]  magic "DLENSEM1"
//   u32      version = 1
//   u32      kind (0 deterministic, 1 probabilistic), activation (0 relu, 1 tanh, 2 silu)
//   u32      obs_dim, action_dim, learned outputs (bit 0: reward, bit 1: termination; files
//            written before termination could be learned hold 0 or 1), ensemble_size E,
//            hidden layer count L
//   u32[L]   hidden widths
//   f32[in]  input normaliser mean, then std (in = obs_dim + action_dim)
//   f32[D]   target normaliser mean, then std (D = obs_dim + one per learned output)
//   E times: f32[param_count] flat MLP parameters (per layer W column-major [fan_in, fan_out],
//            then b), f32[D] max log-variance, f32[D] min log-variance, f64 best validation score
//   u32      elite count K, then u32[K] elite member indices
// Training state (Adam moments, dataset split) is not saved: a loaded model predicts; training
// it again starts Adam afresh.
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/io/atomic_file.h"
#include "core/models/binary_io.h"
#include "core/models/ensemble.h"

namespace dynalab {

namespace {
constexpr char kWeightsMagic[8] = {'D', 'L', 'E', 'N', 'S', 'E', 'M', '1'};

}  // namespace

void Ensemble::save(const std::filesystem::path& path) const { write_file_atomic(path, to_bytes()); }

std::string Ensemble::to_bytes() const {
  BinaryWriter w;
  w.out.append(kWeightsMagic, 8);
  w.put<uint32_t>(1);
  w.put<uint32_t>(probabilistic_ ? 1 : 0);
  w.put<uint32_t>(uint32_t(parse_activation(cfg_.activation)));
  w.put<uint32_t>(obs_dim_);
  w.put<uint32_t>(action_dim_);
  w.put<uint32_t>(learned_outputs());
  w.put<uint32_t>(size());
  w.put<uint32_t>(uint32_t(cfg_.hidden.size()));
  for (int h : cfg_.hidden) w.put<uint32_t>(h);
  w.array(in_norm_.mean.data(), input_dim());
  w.array(in_norm_.std.data(), input_dim());
  w.array(out_norm_.mean.data(), target_dim());
  w.array(out_norm_.std.data(), target_dim());
  for (const Member& mb : members_) {
    w.array(mb.net.params().data(), mb.net.params().size());
    w.array(mb.bounds.max_lv.data(), target_dim());
    w.array(mb.bounds.min_lv.data(), target_dim());
    w.put<double>(mb.best.score);
  }
  w.put<uint32_t>(uint32_t(elites_.size()));
  for (int e : elites_) w.put<uint32_t>(e);
  return w.out;
}

void Ensemble::load(const std::filesystem::path& path) {
  const std::string p = path.string();
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError(p + ": cannot open the model file");
  std::stringstream ss;
  ss << f.rdbuf();
  load_bytes(ss.str(), p);
}

void Ensemble::load_bytes(const std::string& bytes, const std::string& p) {
  BinaryReader r{bytes, p};
  r.need(8, "the magic \"DLENSEM1\"");
  if (std::memcmp(bytes.data(), kWeightsMagic, 8) != 0)
    throw InputError(p + ": expected a dynalab model file (starting with \"DLENSEM1\")");
  r.pos = 8;
  const uint32_t version = r.get<uint32_t>("the version");
  if (version != 1)
    throw InputError(p + ": expected model file version 1, got " + std::to_string(version));
  const uint32_t kind = r.get<uint32_t>("the kind"), act = r.get<uint32_t>("the activation");
  const uint32_t od = r.get<uint32_t>("obs_dim"), ad = r.get<uint32_t>("action_dim");
  const uint32_t lo = r.get<uint32_t>("the learned outputs"), E = r.get<uint32_t>("ensemble_size");
  const bool lr = lo & 1u, lt = lo & 2u;
  const uint32_t L = r.get<uint32_t>("the hidden layer count");
  if (L > 64) throw InputError(p + ": expected at most 64 hidden layers, got " + std::to_string(L));
  std::vector<int> hidden;
  for (uint32_t i = 0; i < L; ++i) hidden.push_back(int(r.get<uint32_t>("the hidden widths")));
  std::ostringstream got;
  got << E << " "
      << (kind == 1   ? "probabilistic"
          : kind == 0 ? "deterministic"
                      : "unknown-kind")
      << " member" << (E == 1 ? "" : "s") << ", " << od << "+" << ad << " -> ";
  for (size_t i = 0; i < hidden.size(); ++i) got << (i ? "x" : "") << hidden[i];
  got << " " << (act < 3 ? activation_names()[act] : "unknown-activation") << " -> "
      << (od + lr + lt) << (lr ? " (reward learned)" : "") << (lt ? " (termination learned)" : "");
  if (kind != (probabilistic_ ? 1u : 0u) || act != uint32_t(parse_activation(cfg_.activation)) ||
      od != uint32_t(obs_dim_) || ad != uint32_t(action_dim_) ||
      lo != learned_outputs() || E != uint32_t(size()) || hidden != cfg_.hidden)
    throw InputError(p + ": expected a model of shape \"" + describe_shape() +
                     "\", the file holds \"" + got.str() + "\"");
  Normalizer in, out;
  in.mean.resize(input_dim());
  in.std.resize(input_dim());
  out.mean.resize(target_dim());
  out.std.resize(target_dim());
  r.array(in.mean.data(), input_dim(), "the input normaliser");
  r.array(in.std.data(), input_dim(), "the input normaliser");
  r.array(out.mean.data(), target_dim(), "the target normaliser");
  r.array(out.std.data(), target_dim(), "the target normaliser");
  std::vector<Member> loaded = members_;
  for (uint32_t m = 0; m < E; ++m) {
    const std::string what = "member " + std::to_string(m) + "'s weights";
    Member& mb = loaded[m];
    r.array(mb.net.params().data(), mb.net.params().size(), what);
    r.array(mb.bounds.max_lv.data(), target_dim(), what);
    r.array(mb.bounds.min_lv.data(), target_dim(), what);
    mb.best.score = r.get<double>(what);
    if (!mb.net.params().allFinite())
      throw InputError(p + ": expected finite weights, member " + std::to_string(m) +
                       " has NaN/Inf");
  }
  const uint32_t K = r.get<uint32_t>("the elite count");
  if (K < 1 || K > E)
    throw InputError(p + ": expected 1.." + std::to_string(E) + " elites, got " +
                     std::to_string(K));
  std::vector<int> elites;
  for (uint32_t k = 0; k < K; ++k) {
    const uint32_t e = r.get<uint32_t>("the elite indices");
    if (e >= E)
      throw InputError(p + ": expected elite indices below " + std::to_string(E) + ", got " +
                       std::to_string(e));
    elites.push_back(int(e));
  }
  if (r.pos != bytes.size())
    throw InputError(p + ": expected " + std::to_string(r.pos) +
                     " bytes for this model, the file has " + std::to_string(bytes.size()));
  members_ = std::move(loaded);
  for (Member& mb : members_) {
    mb.adam.reset(mb.net.params().size());
    mb.adam_bounds.reset(2 * target_dim());
  }
  in_norm_ = in;
  out_norm_ = out;
  elites_ = elites;
  done_ = true;
}

}  // namespace dynalab
