#include "model/weights.h"

#include "kernels/quant_table.h"

namespace inhouse::model {

namespace {

class WeightBinder {
public:
    explicit WeightBinder(const gguf::GgufFile& file) : file_(file) {}

    // shape: outermost first, as printed. An optional tensor may be absent (empty view).
    Result<TensorView> bind(const std::string& name, std::vector<std::int64_t> shape,
                            bool optional = false) const {
        const gguf::TensorInfo* info = file_.find_tensor(name);
        if (info == nullptr) {
            if (optional) return TensorView{};
            return make_error(ErrorCode::InvalidFormat, "{}: missing tensor '{}'", file_.label(), name);
        }
        const auto actual = info->shape();
        const bool same = actual.size() == shape.size() &&
                          std::equal(actual.begin(), actual.end(), shape.begin(),
                                     [](std::uint64_t a, std::int64_t b) { return a == static_cast<std::uint64_t>(b); });
        if (!same) {
            return make_error(ErrorCode::InvalidFormat, "{}: tensor '{}' has shape [{}], expected [{}]",
                              file_.label(), name, fmt::join(actual, ", "), fmt::join(shape, ", "));
        }
        if (!kernels::is_computable(info->type)) {
            return make_error(ErrorCode::Unsupported, "{}: tensor '{}' has type {}, which inhouse cannot compute with yet",
                              file_.label(), name, gguf::tensor_type_name(info->type));
        }
        if (shape.size() == 1 && info->type != gguf::TensorType::F32) {
            return make_error(ErrorCode::Unsupported, "{}: tensor '{}' is {}, expected F32",
                              file_.label(), name, gguf::tensor_type_name(info->type));
        }
        TensorView view;
        view.type = info->type;
        view.n_cols = static_cast<std::int64_t>(info->ne[0]);
        view.n_rows = static_cast<std::int64_t>(info->n_elements / info->ne[0]);
        view.row_size_bytes = kernels::row_size_bytes(info->type, view.n_cols);
        view.data = info->data.data();
        return view;
    }

private:
    const gguf::GgufFile& file_;
};

Result<LayerWeights> bind_layer(const WeightBinder& binder, const HParams& h, std::int64_t layer) {
    const auto name = [layer](std::string_view suffix) { return fmt::format("blk.{}.{}.weight", layer, suffix); };
    LayerWeights w;
    INHOUSE_ASSIGN_OR_RETURN(w.attn_norm, binder.bind(name("attn_norm"), {h.n_embd}));
    INHOUSE_ASSIGN_OR_RETURN(w.attn_q, binder.bind(name("attn_q"), {h.q_dim(), h.n_embd}));
    INHOUSE_ASSIGN_OR_RETURN(w.attn_k, binder.bind(name("attn_k"), {h.k_dim(), h.n_embd}));
    INHOUSE_ASSIGN_OR_RETURN(w.attn_v, binder.bind(name("attn_v"), {h.v_dim(), h.n_embd}));
    INHOUSE_ASSIGN_OR_RETURN(w.attn_output, binder.bind(name("attn_output"), {h.n_embd, h.n_heads * h.head_dim_v}));
    const auto bias = [layer](std::string_view suffix) { return fmt::format("blk.{}.{}.bias", layer, suffix); };
    INHOUSE_ASSIGN_OR_RETURN(w.attn_q_bias, binder.bind(bias("attn_q"), {h.q_dim()}, /*optional=*/true));
    INHOUSE_ASSIGN_OR_RETURN(w.attn_k_bias, binder.bind(bias("attn_k"), {h.k_dim()}, true));
    INHOUSE_ASSIGN_OR_RETURN(w.attn_v_bias, binder.bind(bias("attn_v"), {h.v_dim()}, true));
    if (h.has_qk_norm) {
        INHOUSE_ASSIGN_OR_RETURN(w.attn_q_norm, binder.bind(name("attn_q_norm"), {h.head_dim_k}));
        INHOUSE_ASSIGN_OR_RETURN(w.attn_k_norm, binder.bind(name("attn_k_norm"), {h.head_dim_k}));
    }
    if (h.has_post_norms) {
        INHOUSE_ASSIGN_OR_RETURN(w.post_attn_norm, binder.bind(name("post_attention_norm"), {h.n_embd}));
        INHOUSE_ASSIGN_OR_RETURN(w.post_ffn_norm, binder.bind(name("post_ffw_norm"), {h.n_embd}));
    }
    INHOUSE_ASSIGN_OR_RETURN(w.ffn_norm, binder.bind(name("ffn_norm"), {h.n_embd}));
    INHOUSE_ASSIGN_OR_RETURN(w.ffn_gate, binder.bind(name("ffn_gate"), {h.n_ff, h.n_embd}));
    INHOUSE_ASSIGN_OR_RETURN(w.ffn_up, binder.bind(name("ffn_up"), {h.n_ff, h.n_embd}));
    INHOUSE_ASSIGN_OR_RETURN(w.ffn_down, binder.bind(name("ffn_down"), {h.n_embd, h.n_ff}));
    return w;
}

}  // namespace

Result<Weights> bind_weights(const gguf::GgufFile& file, const HParams& h) {
    const WeightBinder binder(file);
    Weights w;
    INHOUSE_ASSIGN_OR_RETURN(w.token_embd, binder.bind("token_embd.weight", {h.n_vocab, h.n_embd}));
    INHOUSE_ASSIGN_OR_RETURN(w.output_norm, binder.bind("output_norm.weight", {h.n_embd}));
    INHOUSE_ASSIGN_OR_RETURN(w.output, binder.bind("output.weight", {h.n_vocab, h.n_embd}, /*optional=*/true));
    if (w.output.empty()) w.output = w.token_embd;
    INHOUSE_ASSIGN_OR_RETURN(w.rope_freqs, binder.bind("rope_freqs.weight", {h.rope.n_dims / 2}, true));
    w.layers.reserve(static_cast<std::size_t>(h.n_layers));
    for (std::int64_t layer = 0; layer < h.n_layers; ++layer) {
        INHOUSE_ASSIGN_OR_RETURN(auto bound, bind_layer(binder, h, layer));
        w.layers.push_back(bound);
    }
    return w;
}

std::vector<TensorView*> matmul_weights(Weights& weights) {
    std::vector<TensorView*> views;
    for (auto& layer : weights.layers) {
        for (TensorView* view : {&layer.attn_q, &layer.attn_k, &layer.attn_v, &layer.attn_output, &layer.ffn_gate,
                                 &layer.ffn_up, &layer.ffn_down}) {
            views.push_back(view);
        }
    }
    views.push_back(&weights.output);
    return views;
}

std::vector<TensorView*> vector_weights(Weights& weights) {
    std::vector<TensorView*> views;
    const auto add = [&views](TensorView* view) {
        if (!view->empty()) views.push_back(view);
    };
    add(&weights.output_norm);
    add(&weights.rope_freqs);
    for (auto& layer : weights.layers) {
        for (TensorView* view : {&layer.attn_norm, &layer.attn_q_bias, &layer.attn_k_bias, &layer.attn_v_bias,
                                 &layer.attn_q_norm, &layer.attn_k_norm, &layer.post_attn_norm, &layer.ffn_norm,
                                 &layer.post_ffn_norm}) {
            add(view);
        }
    }
    return views;
}

}  // namespace inhouse::model
