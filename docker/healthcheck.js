// The image's HEALTHCHECK: GET http://127.0.0.1:$PORT<path> (default /health/ready) with node's
// own fetch (the slim image has no curl). Exit 0 on a 2xx answer, 1 otherwise (Docker's
// "unhealthy"), within 4 s so that a hung API counts as unhealthy too.
'use strict';
const path = process.argv[2] || '/health/ready';
const port = process.env.PORT || '3000';
fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(4000) })
  .then((response) => {
    if (!response.ok) console.error(`${path}: ${response.status}`);
    process.exit(response.ok ? 0 : 1);
  })
  .catch((error) => {
    console.error(`${path}: ${error.message}`);
    process.exit(1);
  });
