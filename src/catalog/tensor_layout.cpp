#include "catalog/tensor_layout.h"

#include <fmt/format.h>

namespace inhouse::catalog {

std::vector<CatalogTensor> tensor_layout(const ModelShape& shape) {
    const std::int64_t q_dim = shape.n_heads * shape.head_dim;
    const std::int64_t kv_dim = shape.n_kv_heads * shape.head_dim;
    const bool gemma = shape.synthesize_as == "gemma3";
    std::vector<CatalogTensor> plan = {
        {"token_embd.weight", TensorRole::TokenEmbedding, 0, shape.n_vocab, shape.n_embd, 0},
        {"output_norm.weight", TensorRole::Vector, 0, 1, shape.n_embd, 1},
    };
    if (!shape.tied_embeddings) plan.push_back({"output.weight", TensorRole::Output, 0, shape.n_vocab, shape.n_embd, 0});
    for (std::int64_t layer = 0; layer < shape.n_layers; ++layer) {
        const auto name = [layer](std::string_view what) { return fmt::format("blk.{}.{}", layer, what); };
        plan.push_back({name("attn_norm.weight"), TensorRole::Vector, layer, 1, shape.n_embd, 1});
        plan.push_back({name("attn_q.weight"), TensorRole::AttnQ, layer, q_dim, shape.n_embd, 0});
        plan.push_back({name("attn_k.weight"), TensorRole::AttnK, layer, kv_dim, shape.n_embd, 0});
        plan.push_back({name("attn_v.weight"), TensorRole::AttnV, layer, kv_dim, shape.n_embd, 0});
        plan.push_back({name("attn_output.weight"), TensorRole::AttnOutput, layer, shape.n_embd, q_dim, 0});
        if (shape.synthesize_as == "qwen2") {
            plan.push_back({name("attn_q.bias"), TensorRole::Vector, layer, 1, q_dim, 0});
            plan.push_back({name("attn_k.bias"), TensorRole::Vector, layer, 1, kv_dim, 0});
            plan.push_back({name("attn_v.bias"), TensorRole::Vector, layer, 1, kv_dim, 0});
        }
        if (gemma) {
            plan.push_back({name("attn_q_norm.weight"), TensorRole::Vector, layer, 1, shape.head_dim, 1});
            plan.push_back({name("attn_k_norm.weight"), TensorRole::Vector, layer, 1, shape.head_dim, 1});
            plan.push_back({name("post_attention_norm.weight"), TensorRole::Vector, layer, 1, shape.n_embd, 1});
            plan.push_back({name("post_ffw_norm.weight"), TensorRole::Vector, layer, 1, shape.n_embd, 1});
        }
        plan.push_back({name("ffn_norm.weight"), TensorRole::Vector, layer, 1, shape.n_embd, 1});
        if (shape.n_experts > 0) {
            const std::int64_t experts = shape.n_experts;
            plan.push_back({name("ffn_gate_inp.weight"), TensorRole::Router, layer, experts, shape.n_embd, 0});
            plan.push_back({name("ffn_gate_exps.weight"), TensorRole::FfnGate, layer, experts * shape.n_ff, shape.n_embd, 0});
            plan.push_back({name("ffn_up_exps.weight"), TensorRole::FfnUp, layer, experts * shape.n_ff, shape.n_embd, 0});
            plan.push_back({name("ffn_down_exps.weight"), TensorRole::FfnDown, layer, experts * shape.n_embd, shape.n_ff, 0});
            continue;
        }
        plan.push_back({name("ffn_gate.weight"), TensorRole::FfnGate, layer, shape.n_ff, shape.n_embd, 0});
        plan.push_back({name("ffn_up.weight"), TensorRole::FfnUp, layer, shape.n_ff, shape.n_embd, 0});
        plan.push_back({name("ffn_down.weight"), TensorRole::FfnDown, layer, shape.n_embd, shape.n_ff, 0});
    }
    return plan;
}

ModelTraits model_traits(const ModelShape& shape) {
    const bool grouped = shape.n_kv_heads < shape.n_heads;
    return {.n_layers = shape.n_layers,
            .n_heads = shape.n_heads,
            .n_kv_heads = shape.n_kv_heads,
            .n_experts = shape.n_experts,
            .tied_embeddings = shape.tied_embeddings,
            .is_70b_class = shape.n_layers == 80 && (shape.architecture == "qwen2" || grouped)};
}

}  // namespace inhouse::catalog
