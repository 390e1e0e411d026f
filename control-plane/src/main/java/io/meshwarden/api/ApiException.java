package io.meshwarden.api;

/** A request the API answers with an error: HTTP status, a stable code and a readable message. */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String code;

  ApiException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  static ApiException notReady() {
    return new ApiException(503, "not_ready", "the first cluster state is not loaded yet");
  }
}
