#!/usr/bin/env bash
# Builds with warnings as errors and runs every test project against real servers: Testcontainers when a Docker
# engine answers, otherwise eng/servers.sh's; before them, promtool checks and unit-tests the alert rules
# (eng/prometheus), and after the build the Bicep CLI builds and lints infra/, each counted as one test. The last line is
# `tests: N passed, N failed, N skipped`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO_ROOT"
require_dotnet

results=$REPO_ROOT/artifacts/test-results
trap stop_servers_started_here EXIT

if [[ ${GRAPHEXEC_TEST_SERVERS:-auto} == auto ]] && container_engine_answers; then
  export GRAPHEXEC_TEST_SERVERS=containers
  echo "servers: Testcontainers (a container engine answered)"
else
  export GRAPHEXEC_TEST_SERVERS=local
  ensure_local_servers
fi

# The alert rules: `promtool check rules` and `promtool test rules` (eng/prometheus) with Debian's prometheus package,
# which eng/servers.sh installs with the servers' packages. They count as one test in the summary: a failure fails the
# run, and the .NET tests still run.
if ! command -v promtool >/dev/null; then
  "$REPO_ROOT/eng/servers.sh" install || echo "eng/servers.sh install failed; promtool is still missing" >&2
fi
rules_passed=0 rules_failed=0
if command -v promtool >/dev/null &&
  promtool check rules eng/prometheus/alerts.yml && promtool test rules eng/prometheus/alerts.test.yml; then
  rules_passed=1
else
  rules_failed=1
  echo "alert rules: promtool check rules / test rules failed (eng/prometheus)" >&2
fi

# The browser tests drive Debian's Chromium and run the UI's signed curl example (which needs xxd); the Live tests run
# Microsoft's SignalR JavaScript client (installed from npm by the tests) with Node. Only what is missing is installed:
# a Node from another source (NodeSource's package brings its own npm) conflicts with Debian's npm package.
missing=()
for tool in chromium:chromium xxd:xxd node:nodejs npm:npm; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if ((${#missing[@]})); then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}"
fi

dotnet build GraphExec.sln -warnaserror -nologo -clp:ErrorsOnly

# The deployment's Bicep (infra/) compiles and passes the linter without a warning, counted as one test in the summary
# like the alert rules. The CLI is the NuGet package the Deployment tests download, so the build above has restored it;
# its version is Directory.Packages.props' BicepVersion.
lint_bicep() {
  local version bicep diagnostics
  version=$(sed -n 's/.*<BicepVersion>\(.*\)<\/BicepVersion>.*/\1/p' Directory.Packages.props)
  bicep=${NUGET_PACKAGES:-$HOME/.nuget/packages}/azure.bicep.commandline.linux-x64/$version/tools/bicep
  if [[ ! -x $bicep ]]; then
    echo "bicep: $bicep is missing (restore tests/GraphExec.Deployment.Tests)" >&2
    return 1
  fi
  # Either command fails on an error; a warning only prints, so any output at all fails too.
  diagnostics=$("$bicep" build infra/main.bicep --stdout 2>&1 >/dev/null && "$bicep" lint infra/main.bicep 2>&1) \
    && [[ -z $diagnostics ]] || { echo "$diagnostics" >&2; return 1; }
  echo "bicep: infra/main.bicep builds and lints clean"
}
bicep_passed=0 bicep_failed=0
if lint_bicep; then bicep_passed=1; else bicep_failed=1; fi

rm -rf "$results"
set +e
dotnet test GraphExec.sln --no-build --nologo \
  --results-directory "$results" --logger trx \
  --blame-hang-timeout 10m
status=$?
set -e

# Sum the counters of every test run's TRX report.
count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
passed=0 failed=0 skipped=0 reports=0
for report in "$results"/*.trx; do
  [[ -f $report ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$report")
  passed=$((passed + $(count passed)))
  failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
  skipped=$((skipped + $(count total) - $(count executed)))
  reports=$((reports + 1))
done

projects=$(find tests -name '*.Tests.csproj' | wc -l)
if ((reports < projects)); then
  echo "only $reports of $projects test projects reported results (a test host crashed or hung)" >&2
  status=1
fi
if ((passed + failed == 0)); then
  echo "no test ran" >&2
  status=1
fi
passed=$((passed + rules_passed + bicep_passed)) failed=$((failed + rules_failed + bicep_failed))
if ((failed > 0 && status == 0)); then status=1; fi

# Stop what this run started before the summary, so that the summary stays the last line.
stop_servers_started_here >/dev/null 2>&1
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
