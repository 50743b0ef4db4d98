// The worker side of the process pool: process hardening, the request loop,
// the injected faults, and the `sotcheck __worker` entry point used by the
// spawn start method. The parent side is process_pool.cpp.

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "child_setup.hpp"
#include "sotcheck/catalog/loader.hpp"
#include "sotcheck/exec/evaluate.hpp"
#include "sotcheck/exec/channel.hpp"
#include "sotcheck/exec/process_pool.hpp"
#include "sotcheck/exec/worker_launch.hpp"
#include "sotcheck/snapshot/shared_image.hpp"
#include "sotcheck/util/diagnostics.hpp"
#include "sotcheck/util/hash.hpp"

namespace sotcheck::exec {
namespace {

using json = nlohmann::ordered_json;

/// Stdin and stdout go to /dev/null: a worker must never read the user's
/// terminal or write into the report the parent prints on stdout.
util::Result<void> redirect_stdio_to_null() {
  const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int out = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (in < 0 || out < 0) return util::make_error(std::string("open /dev/null: ") + std::strerror(errno));
  const bool ok = ::dup2(in, STDIN_FILENO) >= 0 && ::dup2(out, STDOUT_FILENO) >= 0;
  if (in != STDIN_FILENO) ::close(in);
  if (out != STDOUT_FILENO) ::close(out);
  if (!ok) return util::make_error(std::string("dup2: ") + std::strerror(errno));
  return {};
}

/// Does what the fault spec says for `rule_id`, if anything. Only the fault
/// kinds that act inside a worker reach here.
void inject_fault(const std::string& rule_id, const std::vector<FaultSpec>& faults, int channel_fd) {
  for (const FaultSpec& fault : faults) {
    if (fault.rule_id != rule_id) continue;
    switch (fault.kind) {
      case FaultKind::crash:
        std::signal(SIGSEGV, SIG_DFL);
        std::raise(SIGSEGV);
        ::_exit(126);  // unreachable with the default disposition
      case FaultKind::abort:
        std::abort();
      case FaultKind::hang:
        for (;;) ::pause();
      case FaultKind::exit:
        ::_exit(3);
      case FaultKind::garbage: {
        static constexpr char k_garbage[] = "this is not a sotcheck frame, just noise on the channel\n";
        (void)::write(channel_fd, k_garbage, sizeof k_garbage - 1);
        for (;;) ::pause();  // the parent must notice the bad frame, not a timeout
      }
      case FaultKind::pool_fork:
        break;
    }
  }
}

std::string verdict_payload(const Verdict& verdict) {
  const std::vector<std::uint8_t> bytes = json::to_cbor(to_json(verdict));
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

util::Result<void> prepare_worker_process(pid_t parent_pid) {
  // Own process group: a Ctrl-C at the terminal reaches only the parent, which
  // then kills the workers (ninja's scheme); the parent kills by group.
  (void)::setpgid(0, 0);
  // Die with the parent. The parent may already be gone by now (it died between
  // fork/spawn and this line), in which case the signal will never come.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
    return util::make_error(std::string("prctl(PR_SET_PDEATHSIG): ") + std::strerror(errno));
  if (::getppid() != parent_pid) return util::make_error("the parent exited before the worker started");

  const struct rlimit no_core = {0, 0};
  (void)::setrlimit(RLIMIT_CORE, &no_core);

  // Handlers inherited from the parent (its interrupt flag) or installed by a
  // runtime (sanitizers) must not change how a worker dies.
  reset_signal_state();

  return redirect_stdio_to_null();
}

std::string catalog_fingerprint(const catalog::Catalog& catalog) {
  // FNV-1a 64 over "id:batch\n" for every rule in catalog order.
  std::uint64_t hash = util::k_fnv1a_offset;
  for (const auto& rule : catalog.rules) {
    hash = util::fnv1a(rule.id, hash);
    hash = util::fnv1a(":" + std::to_string(rule.batch) + "\n", hash);
  }
  char text[32];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return std::to_string(catalog.rules.size()) + "/" + text;
}

int serve_worker(int channel_fd, const WorkerContext& context) {
  const json hello = {{"pid", ::getpid()},
                      {"catalog", catalog_fingerprint(context.catalog)},
                      {"image_bytes", context.image.size()}};
  if (!write_frame(channel_fd, FrameType::hello, hello.dump())) return 5;
  checks::CheckCaches caches;  // a worker serves one run on one image
  for (;;) {
    auto frame = read_frame(channel_fd);
    if (!frame) {
      std::fprintf(stderr, "sotcheck worker %d: %s\n", static_cast<int>(::getpid()), frame.error().c_str());
      return 4;
    }
    if (!frame->has_value()) return 0;  // the parent closed the channel: the run is over
    const Frame& request = **frame;
    auto index = decode_request(request.payload);
    if (request.type != FrameType::request || !index || *index >= context.catalog.rules.size()) {
      std::fprintf(stderr, "sotcheck worker %d: malformed request\n", static_cast<int>(::getpid()));
      return 4;
    }
    const catalog::Rule& rule = context.catalog.rules[*index];
    if (!context.faults.empty()) inject_fault(rule.id, context.faults, channel_fd);

    std::string payload;
    try {
      payload = verdict_payload(evaluate_rule(rule, context.profile, context.image, &caches));
      if (payload.size() > k_max_verdict_payload)
        payload = verdict_payload(error_verdict(
            rule, "Execution error: the verdict is too large for the worker channel",
            {{"reason", "protocol"}, {"detail", "verdict of " + std::to_string(payload.size()) + " bytes"}}));
    } catch (const std::exception& e) {
      payload = verdict_payload(error_verdict(rule, std::string("Execution error: ") + e.what(),
                                              {{"error", e.what()}, {"error_type", "exception"}}));
    }
    // Over several frames when it is large, so the report does not depend on the executor.
    if (!write_verdict(channel_fd, payload)) return 5;  // the parent is gone
  }
}

int run_spawned_worker(const SpawnedWorkerArgs& args) {
  auto prepared = prepare_worker_process(args.parent_pid);
  if (!prepared) {
    std::fprintf(stderr, "sotcheck worker: %s\n", prepared.error().c_str());
    return k_exit_worker_setup_failed;
  }
  util::Diagnostics diagnostics;
  auto catalog = args.catalog_dir.empty() ? catalog::load_embedded_catalog(diagnostics)
                                          : catalog::load_catalog_directory(args.catalog_dir, diagnostics);
  if (!catalog) {
    std::fprintf(stderr, "sotcheck worker: the catalog failed to load:\n%s", diagnostics.to_string().c_str());
    return 2;
  }
  auto image = snapshot::SharedImage::attach(args.image_fd);
  if (!image) {
    std::fprintf(stderr, "sotcheck worker: %s\n", image.error().c_str());
    return 2;
  }
  auto view = image->view();
  if (!view) {
    std::fprintf(stderr, "sotcheck worker: %s\n", view.error().c_str());
    return 2;
  }
  const WorkerContext context{*catalog, args.profile, *view, args.faults};
  const int status = serve_worker(args.channel_fd, context);
  std::fflush(stderr);
  // Skip static destructors and atexit handlers: the parent decides when a
  // worker's work is done, and exiting fast keeps respawns cheap.
  ::_exit(status);
}

}  // namespace sotcheck::exec
