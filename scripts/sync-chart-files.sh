#!/usr/bin/env bash
# Copies files the charts must ship into the charts (Helm reads only files inside a chart):
# - the generated CRDs (crds/*.yml, made from the operator's Java types) into the operator chart's crds/,
#   which Helm installs before the templates;
# - the e2e scripts init-data.sh and lib.sh (plan §6.3) into charts/se-test/files/, which the init Job runs.
# Run it after regenerating the CRDs or editing those scripts and commit the result; OperatorChartTest and
# SeTestChartTest fail while a copy differs from its source.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
shopt -s nullglob
crds=(crds/*.yml)
[ ${#crds[@]} -gt 0 ] || { echo "no crds/*.yml yet: build the operator module first" >&2; exit 1; }
mkdir -p charts/storage-element-operator/crds
rm -f charts/storage-element-operator/crds/*.yml
cp "${crds[@]}" charts/storage-element-operator/crds/
echo "copied ${#crds[@]} CRD file(s) into charts/storage-element-operator/crds/"

cp e2e/scripts/init-data.sh e2e/scripts/lib.sh charts/se-test/files/
echo "copied e2e/scripts/init-data.sh and lib.sh into charts/se-test/files/"
