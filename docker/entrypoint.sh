#!/bin/sh
# Starts one process of the platform in the container, chosen by ROLE:
#   ROLE=mailserver  IMAP, LMTP, SMTP maildrop and submission  (node apps/mailserver/dist/main.js)
#   ROLE=api         REST and GraphQL                          (node apps/api/dist/main.js)
#   ROLE=web         Next.js web console                       (node apps/web/scripts/start.mjs)
# With arguments, runs them instead (`docker run --rm -it IMAGE sh`), for debugging.
# The process is exec'd, so SIGTERM from `docker stop` reaches it (through tini) and it stops cleanly.
set -eu

# the image root (/app in the image): this script lives in its docker/ folder
cd "$(dirname "$0")/.."

if [ "$#" -gt 0 ]; then
  exec "$@"
fi

case "${ROLE:-}" in
  mailserver)
    exec node apps/mailserver/dist/main.js
    ;;
  api)
    exec node apps/api/dist/main.js
    ;;
  web)
    # start.mjs runs `next start -p $WEB_PORT -H $BIND_HOST` from the app's folder
    cd apps/web
    exec node scripts/start.mjs
    ;;
  '')
    echo 'entrypoint: ROLE is not set; set ROLE to mailserver, api or web (docker run -e ROLE=api ...)' >&2
    exit 64
    ;;
  *)
    echo "entrypoint: unknown ROLE \"${ROLE}\"; use mailserver, api or web" >&2
    exit 64
    ;;
esac
