using System.Net;
using GraphExec.Engine.Blocks.Http;

namespace GraphExec.Engine.Tests.Blocks;

/// <summary>Address rules, checked without any traffic: only loopback is ever contacted in these tests.</summary>
public class The_ssrf_guard
{
    [TestCase("127.0.0.1")]
    [TestCase("10.1.2.3")]
    [TestCase("172.16.0.1")]
    [TestCase("192.168.1.1")]
    [TestCase("169.254.169.254")]
    [TestCase("100.100.100.200")]
    [TestCase("0.0.0.0")]
    [TestCase("224.0.0.1")]
    [TestCase("255.255.255.255")]
    [TestCase("::1")]
    [TestCase("::")]
    [TestCase("fe80::1")]
    [TestCase("fd00:ec2::254")]
    [TestCase("::ffff:10.0.0.1")]
    [TestCase("64:ff9b::a00:1")]
    [TestCase("64:ff9b:1::a00:1")]
    [TestCase("::10.0.0.1")]
    [TestCase("::127.0.0.1")]
    [TestCase("::169.254.169.254")]
    [TestCase("::ffff:0:10.0.0.1")]
    [TestCase("2002:a00:1::1")]
    [TestCase("2002:7f00:1::")]
    [TestCase("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [TestCase("100::1")]
    public void Should_treat_internal_and_metadata_addresses_as_not_public(string address)
    {
        Assert.That(SsrfGuard.IsPublic(IPAddress.Parse(address)), Is.False);
    }

    [TestCase("93.184.215.14")]
    [TestCase("8.8.8.8")]
    [TestCase("2606:4700::6810:85e5")]
    [TestCase("::ffff:8.8.8.8")]
    public void Should_treat_internet_addresses_as_public(string address)
    {
        Assert.That(SsrfGuard.IsPublic(IPAddress.Parse(address)), Is.True);
    }

    [TestCase("10.0.0.0/8", "internal", "10.20.30.40", true)]
    [TestCase("10.0.0.0/8", "internal", "11.0.0.1", true)]
    [TestCase("10.0.0.0/8", "internal", "192.168.0.1", false)]
    [TestCase("192.168.1.5", "printer", "192.168.1.5", true)]
    [TestCase("billing.internal", "billing.internal", "10.9.9.9", true)]
    [TestCase("billing.internal", "other.internal", "10.9.9.9", false)]
    [TestCase("*.corp.example", "api.corp.example", "10.9.9.9", true)]
    [TestCase("*.corp.example", "corp.example.evil", "10.9.9.9", false)]
    public void Should_allow_what_the_allow_list_names(string entry, string host, string address, bool allowed)
    {
        var guard = new SsrfGuard([entry]);

        Assert.That(guard.IsAllowed(host, IPAddress.Parse(address)), Is.EqualTo(allowed));
    }

    [Test]
    public void Should_reject_an_allow_list_entry_it_cannot_read()
    {
        Assert.That(() => new SsrfGuard(["not a host!"]), Throws.ArgumentException.With.Message.StartWith("'not a host!' is not a host name, address or network."));
    }
}
