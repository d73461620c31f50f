using System.ComponentModel.DataAnnotations;

namespace GraphExec.Hosting.Blobs;

/// <summary>The <c>Blobs</c> section: which container of the <c>blobs</c> storage account this deployment keeps values in.</summary>
public sealed class BlobStorageOptions
{
    public const string Section = "Blobs";

    public const string DefaultContainer = "values";

    /// <summary>
    /// 3-63 lower-case letters, digits and single hyphens, as Azure Storage names a container; tests give each run its own.
    /// </summary>
    [Required]
    [RegularExpression("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$", ErrorMessage = "Blobs:Container must be 3-63 lower-case letters, digits and single hyphens.")]
    public string Container { get; set; } = DefaultContainer;
}
