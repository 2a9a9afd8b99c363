// What the sign-in page says for each way a sign-in can fail (next-auth's error codes and ours).

/** A sentence for the person signing in, naming what went wrong and what to do. */
export function describeSignInError(code: string): string {
  switch (code) {
    case 'CredentialsSignin':
      return 'Sign-in failed: the email address or password is not right.';
    case 'API_UNAVAILABLE':
      return 'Sign-in failed: the API is unavailable, so your password could not be checked. Try again in a moment, or ask your administrator whether the API is running.';
    case 'TWO_FACTOR_REQUIRED':
      return 'Enter the code from your authenticator app to finish signing in.';
    case 'TWO_FACTOR_INVALID':
      return 'That code is not right, or it was used already. Enter the current code from your authenticator app, or a recovery code you have not used.';
    case 'SessionExpired':
      return 'Your session has ended. Please sign in again.';
    case 'SessionRequired':
      return 'Please sign in to continue.';
    default:
      return 'Sign-in failed. Please try again.';
  }
}
