// A loaded model: the mapped GGUF file, its hyperparameters and its bound weights.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/huge_page_buffer.h"
#include "core/result.h"
#include "gguf/gguf_file.h"
#include "model/hparams.h"
#include "model/weights.h"

namespace inhouse::model {

class Model {
public:
    // Maps and validates the file, finds its architecture, reads its hyperparameters and binds
    // its weights; every failure names the file and what is wrong.
    static Result<std::unique_ptr<Model>> load(const std::string& path);
    // Takes an already opened file (the tokenizer may share it).
    static Result<std::unique_ptr<Model>> load(std::shared_ptr<const gguf::GgufFile> file);

    const gguf::GgufFile& file() const { return *file_; }
    std::shared_ptr<const gguf::GgufFile> shared_file() const { return file_; }
    const HParams& hparams() const { return hparams_; }
    const Weights& weights() const { return weights_; }

private:
    // Gives the process its own copy of every weight it computes with and drops the file's
    // pages they came from, so each weight is held once and no stray touch of a norm maps a
    // 2 MiB page of the file: the matrices matmul has an interleaved kernel for (interleaved_),
    // then the small vectors (vectors_).
    Status take_weights_from_file();
    Status interleave_matrices();
    void copy_vectors();
    void drop_tensor_pages();

    std::shared_ptr<const gguf::GgufFile> file_;
    HParams hparams_;
    Weights weights_;
    HugePageBuffer interleaved_;
    std::vector<float> vectors_;
};

}  // namespace inhouse::model
