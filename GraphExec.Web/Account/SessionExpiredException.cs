namespace GraphExec.Web.Account;

/// <summary>The Api token expired or was refused: the person must sign in again.</summary>
public sealed class SessionExpiredException() : Exception("Your session has ended. Please sign in again.");
