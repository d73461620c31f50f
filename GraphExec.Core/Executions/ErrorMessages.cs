using System.Globalization;
using GraphExec.Engine;

namespace GraphExec.Core.Executions;

/// <summary>
/// Errors stay inline in their rows and events, however long the message a block produced (an http body echoed back, a
/// stack of nested errors): they are capped here, where they are stored or streamed, with a note of how much was cut.
/// </summary>
public static class ErrorMessages
{
    /// <summary>The longest error message stored or streamed, in characters.</summary>
    public const int MaxLength = 8 * 1024;

    public static ExecutionError Capped(ExecutionError error)
    {
        if (error.Message.Length <= MaxLength)
        {
            return error;
        }

        var end = char.IsHighSurrogate(error.Message[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
        var cut = error.Message.Length - end;
        return error with { Message = $"{error.Message[..end]}… ({cut.ToString(CultureInfo.InvariantCulture)} more characters cut)" };
    }
}
