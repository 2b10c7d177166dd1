/**
 * The Content-Security-Policy every response carries. The pages the Worker serves (/docs,
 * /console) load scripts, styles and data only from the Worker itself: no inline script, no
 * other origin, no framing. Images may also be `data:` URLs (Swagger UI's icons are inlined in
 * its stylesheet). JSON responses are not documents, so the same policy costs them nothing.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};
