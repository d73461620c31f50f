namespace GraphExec.ServiceDefaults;

public static class CacheSettings
{
    /// <summary>Prefixes every Redis key a service writes, so that several apps (or test runs) can share one Redis.</summary>
    public const string KeyPrefix = "Cache:KeyPrefix";
}
