#!/usr/bin/env bash
# Refresh the vendored front-end assets from the npm registry (pinned versions below).
# The web app never loads anything from a CDN: these files are served from the package itself.
set -euo pipefail
cd "$(dirname "$0")/.."
HTMX=2.0.11
UTRECHT_CSS=9.0.4
UTRECHT_TOKENS=5.0.1
out=src/schildwacht/web/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "htmx.org@$HTMX" "@utrecht/component-library-css@$UTRECHT_CSS" \
    "@utrecht/design-tokens@$UTRECHT_TOKENS" >/dev/null)
for f in "$work"/*.tgz; do mkdir -p "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
cp "$work/htmx.org-$HTMX/package/dist/htmx.min.js" "$out/htmx.min.js"
cp "$work/utrecht-component-library-css-$UTRECHT_CSS/package/dist/index.css" "$out/utrecht-components.css"
cp "$work/utrecht-design-tokens-$UTRECHT_TOKENS/package/dist/theme.css" "$out/utrecht-tokens.css"
(cd "$out" && sha256sum htmx.min.js utrecht-components.css utrecht-tokens.css > SHA256SUMS)
echo "vendored htmx $HTMX, @utrecht/component-library-css $UTRECHT_CSS, @utrecht/design-tokens $UTRECHT_TOKENS"
