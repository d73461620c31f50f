using System.Security.Cryptography;
using GraphExec.Engine.Secrets;
using GraphExec.Hosting.Secrets;
using Npgsql;

namespace GraphExec.Worker.Features.Secrets;

/// <summary>
/// The secrets of one execution's owner, read from the owner's credentials and decrypted as a node needs them (the
/// engine asks once per name per execution). Reading one also notes when it was last used, at most once a minute, so
/// that a run of a thousand nodes writes nothing more.
/// </summary>
public sealed class OwnerSecrets(Guid ownerId, NpgsqlDataSource database, SecretProtection protection, TimeProvider time) : ISecretSource
{
    private const string Sql = """
        WITH used AS (
            UPDATE credentials SET last_used_at = $3
            WHERE owner_id = $1 AND name = $2 AND (last_used_at IS NULL OR last_used_at < $3 - interval '1 minute'))
        SELECT protected_value FROM credentials WHERE owner_id = $1 AND name = $2
        """;

    public async ValueTask<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = ownerId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow() });
        if (await command.ExecuteScalarAsync(cancellationToken) is not string protectedValue)
        {
            return null;
        }

        try
        {
            return protection.UnprotectCredential(ownerId, protectedValue);
        }
        catch (CryptographicException)
        {
            // The message names no value; the exception's own may describe the payload.
            throw new InvalidOperationException(
                $"The credential '{name}' cannot be decrypted with this deployment's key ring: was DataProtection:Key changed without keeping the old one in DataProtection:PreviousKeys?");
        }
    }
}
