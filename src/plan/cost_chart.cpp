#include "plan/cost_chart.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>

namespace inhouse::plan {

namespace {

constexpr double kWidth = 960;
constexpr double kHeight = 600;
constexpr double kLeft = 90;
constexpr double kRight = 300;  // legend column
constexpr double kTop = 50;
constexpr double kBottom = 60;
constexpr std::array kPalette = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b",
                                 "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#ff7f0e"};

std::string escape(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

// 1, 2 or 5 times a power of ten, so that about five ticks span `max`.
double tick_step(double max) {
    const double rough = max / 5;
    const double power = std::pow(10.0, std::floor(std::log10(rough)));
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * power >= rough) return m * power;
    }
    return 10 * power;
}

std::string short_number(double value) {
    const double magnitude = std::fabs(value);
    if (magnitude >= 1e12) return fmt::format("{:g}T", value / 1e12);
    if (magnitude >= 1e9) return fmt::format("{:g}B", value / 1e9);
    if (magnitude >= 1e6) return fmt::format("{:g}M", value / 1e6);
    if (magnitude >= 1e3) return fmt::format("{:g}k", value / 1e3);
    return fmt::format("{:g}", value);
}

struct Frame {
    double max_x = 1;
    double max_y = 1;
    double x(double tokens) const { return kLeft + tokens / max_x * (kWidth - kLeft - kRight); }
    double y(double usd) const { return kHeight - kBottom - usd / max_y * (kHeight - kTop - kBottom); }
};

void axes(std::string& svg, const Frame& frame) {
    const double x_step = tick_step(frame.max_x);
    const double y_step = tick_step(frame.max_y);
    for (double t = 0; t <= frame.max_x * 1.0001; t += x_step) {
        svg += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#e0e0e0"/>)"
                           R"(<text x="{0:.1f}" y="{3:.1f}" text-anchor="middle">{4}</text>)" "\n",
                           frame.x(t), frame.y(0), frame.y(frame.max_y), frame.y(0) + 18, short_number(t));
    }
    for (double u = 0; u <= frame.max_y * 1.0001; u += y_step) {
        svg += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{2:.1f}" y2="{1:.1f}" stroke="#e0e0e0"/>)"
                           R"(<text x="{3:.1f}" y="{4:.1f}" text-anchor="end">${5}</text>)" "\n",
                           frame.x(0), frame.y(u), frame.x(frame.max_x), frame.x(0) - 6, frame.y(u) + 4,
                           short_number(u));
    }
    svg += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{2:.1f}" y2="{1:.1f}" stroke="#000"/>)"
                       R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{3:.1f}" stroke="#000"/>)" "\n",
                       frame.x(0), frame.y(0), frame.x(frame.max_x), frame.y(frame.max_y));
    svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle">tokens per month (prompt + output)</text>)" "\n",
                       (frame.x(0) + frame.x(frame.max_x)) / 2, kHeight - 15);
    svg += fmt::format(R"svg(<text transform="translate(20 {:.1f}) rotate(-90)" text-anchor="middle">USD per month</text>)svg" "\n",
                       (frame.y(0) + frame.y(frame.max_y)) / 2);
}

void legend_entry(std::string& svg, int row, const char* color, bool dashed, const std::string& label) {
    const double x = kWidth - kRight + 20;
    const double y = kTop + 10 + row * 20;
    svg += fmt::format(R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="2.5"{}/>)"
                       R"(<text x="{:.1f}" y="{:.1f}">{}</text>)" "\n",
                       x, y, x + 24, y, color, dashed ? R"( stroke-dasharray="6 4")" : "", x + 30, y + 4,
                       escape(label));
}

}  // namespace

std::string cost_chart_svg(const std::string& title, const std::vector<SelfHostedSeries>& self_hosted,
                           const std::vector<ApiPrice>& apis, const Workload& workload, double max_tokens) {
    Frame frame;
    frame.max_x = std::max(1.0, max_tokens);
    for (const auto& series : self_hosted) frame.max_y = std::max(frame.max_y, self_hosted_cost_at(series.cost, frame.max_x));
    frame.max_y *= 1.15;

    std::string svg = fmt::format(
        R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" )"
        R"(font-family="Helvetica, Arial, sans-serif" font-size="12">)" "\n"
        R"(<rect width="100%" height="100%" fill="#fff"/>)" "\n"
        R"(<text x="{2}" y="28" font-size="16" font-weight="bold">{3}</text>)" "\n",
        kWidth, kHeight, kLeft, escape(title));
    axes(svg, frame);
    svg += fmt::format(R"(<clipPath id="plot"><rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"/></clipPath>)" "\n",
                       frame.x(0), frame.y(frame.max_y), frame.x(frame.max_x) - frame.x(0), frame.y(0) - frame.y(frame.max_y));

    int row = 0;
    std::size_t color = 0;
    std::string marks;
    for (const auto& series : self_hosted) {
        const char* stroke = kPalette[color++ % kPalette.size()];
        std::string points;
        constexpr int kSamples = 600;
        for (int i = 0; i <= kSamples; ++i) {
            const double tokens = frame.max_x * i / kSamples;
            points += fmt::format("{:.1f},{:.1f} ", frame.x(tokens), frame.y(self_hosted_cost_at(series.cost, tokens)));
        }
        svg += fmt::format(R"svg(<polyline clip-path="url(#plot)" fill="none" stroke="{}" stroke-width="2.5" points="{}"/>)svg" "\n",
                           stroke, points);
        legend_entry(svg, row++, stroke, false, series.label);
        for (const auto& api : apis) {
            const auto tokens = break_even_tokens_per_month(series.cost, api, workload, frame.max_x);
            if (!tokens) continue;
            const double usd = blended_usd_per_token(api, workload) * *tokens;
            marks += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="5" fill="#fff" stroke="{}" stroke-width="2">)"
                                 R"(<title>{}: break-even with {} at {} tokens/month</title></circle>)" "\n",
                                 frame.x(*tokens), frame.y(usd), stroke, escape(series.label), escape(api.label()),
                                 short_number(*tokens));
        }
    }
    for (const auto& api : apis) {
        const char* stroke = kPalette[color++ % kPalette.size()];
        const double per_token = blended_usd_per_token(api, workload);
        // Clip the line at the top of the frame.
        const double end_tokens = std::min(frame.max_x, per_token > 0 ? frame.max_y / per_token : frame.max_x);
        svg += fmt::format(R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="2" )"
                           R"(stroke-dasharray="6 4"/>)" "\n",
                           frame.x(0), frame.y(0), frame.x(end_tokens), frame.y(per_token * end_tokens), stroke);
        legend_entry(svg, row++, stroke, true,
                     fmt::format("{} (${:.2f}/M)", api.label(), per_token * 1e6));
    }
    svg += marks;
    if (workload.given() && workload.monthly_tokens() <= frame.max_x) {
        const double x = frame.x(workload.monthly_tokens());
        svg += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#444" stroke-dasharray="2 3"/>)"
                           R"(<text x="{3:.1f}" y="{4:.1f}" fill="#444">your workload</text>)" "\n",
                           x, frame.y(0), frame.y(frame.max_y), x + 4, frame.y(frame.max_y) + 12);
    }
    svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" fill="#444">○ break-even</text>)" "\n", kWidth - kRight + 20,
                       kTop + 10 + row * 20 + 4);
    svg += "</svg>\n";
    return svg;
}

}  // namespace inhouse::plan
