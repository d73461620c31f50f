namespace GraphExec.Engine.Blocks.Schema;

[Flags]
internal enum SchemaTypes
{
    None = 0,
    Null = 1,
    Boolean = 2,
    Integer = 4,
    Number = 8,
    String = 16,
    Array = 32,
    Object = 64,
}
