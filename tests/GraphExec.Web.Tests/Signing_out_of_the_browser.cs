using System.Text.RegularExpressions;
using GraphExec.Testing;
using GraphExec.Web.Tests.Support;
using Npgsql;

namespace GraphExec.Web.Tests;

/// <summary>
/// The Web keeps a person's session in its sign-in cookie: an open page gets its renewed access token through the browser
/// sealed (never readable there), and signing out ends the session at the Api, not only in this browser.
/// </summary>
public sealed class Signing_out_of_the_browser : BrowserScenario
{
    [Test]
    public async Task Should_hand_an_open_page_its_token_sealed_and_end_the_session_at_the_api()
    {
        var page = await NewPageAsync();
        var username = await Person.SignUpAsync(page);
        var ticket = await page.EvaluateAsync<string?>("graphexec.renewSession()");
        var sessionsBefore = await LiveSessionsAsync(username);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/signin\\?signedOut=true"));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("You are signed out.");
        await Accessibility.AssertNoViolationsAsync(page, "sign-in, signed out");
        // The sign-in page's scripts, which the next step calls, are there once it has loaded.
        await page.WaitForLoadStateAsync(LoadState.Load);
        var ticketAfter = await page.EvaluateAsync<string?>("graphexec.renewSession()");
        var sessionsAfter = await LiveSessionsAsync(username);

        Assert.That(ticket, Is.Not.Empty.And.Not.Contain("eyJhbGciOi"), "a sealed ticket, no JWT in it");
        Assert.That(sessionsBefore, Is.EqualTo(1), "signing up signed in: one session");
        Assert.That(ticketAfter, Is.Null, "nothing to renew once signed out");
        Assert.That(sessionsAfter, Is.Zero, "the session ended at the Api");
    }

    /// <summary>The user's sessions that have not been ended, as the Api keeps them.</summary>
    private static async Task<long> LiveSessionsAsync(string username)
    {
        await using var connection = new NpgsqlConnection(RealServersSetUp.Isolated.Connections.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.normalized_username = $1 AND s.revoked_at IS NULL",
            connection);
        command.Parameters.AddWithValue(username.ToLowerInvariant());
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
