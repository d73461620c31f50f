using GraphExec.Cli.Features.Runs;

namespace GraphExec.Cli.Tests;

/// <summary>A watch replaces its Live ticket before the ticket ends, with time to spare for the new connection.</summary>
public sealed class Renewing_live_tickets
{
    [TestCase(15, 14)]
    [TestCase(60, 59)]
    [TestCase(2, 1.5)]
    [TestCase(1, 0.75)]
    public void Should_renew_a_minute_before_the_end_or_at_three_quarters_of_a_shorter_life(double lifetimeMinutes, double renewAfterMinutes) =>
        Assert.That(LivePass.RenewAfterOf(TimeSpan.FromMinutes(lifetimeMinutes)), Is.EqualTo(TimeSpan.FromMinutes(renewAfterMinutes)));
}
