// Thrift's compact protocol, walked against the struct definitions (ParquetThrift) only to check that the bytes say
// what a reader that trusts them will read, before it allocates what they declare. A field header byte is
// (id delta << 4) | type, or type alone followed by the id as a zigzag varint when the delta is 0; the byte 0 ends a
// struct. A list header is (size << 4) | element type, the size continuing as a varint when the nibble is 15.
// Strict where a trusting reader and the bytes could disagree: a known field must carry its defined type (Parquet.Net
// reads a known field as its defined type whatever the byte says), a list its defined element type, an unknown field
// must be a scalar or a string (a library's skip of an unknown struct or list is where readers differ), an i32-sized
// varint at most 5 bytes and 32 bits. Every list element takes at least one byte, so a count above the bytes left is
// refused before anything is allocated for it. Parquet's structs do not nest recursively, so neither does the walk.
// Reference: apache/thrift doc/specs/thrift-compact-protocol.md.
namespace Latent.Data.Tabular;

/// <summary>A field's wire type in Thrift's compact protocol: a scalar, a string, a list of a type, or a named struct.</summary>
internal sealed record ThriftField(int Type, ThriftField? Element = null, string? StructName = null)
{
    public static readonly ThriftField Bool = new(1), I8 = new(3), I16 = new(4), I32 = new(5), I64 = new(6), Double = new(7), Binary = new(8);

    public static ThriftField List(ThriftField element) => new(9, element);

    public static ThriftField Struct(string name) => new(12, StructName: name);
}

/// <summary>A bounded walk over Thrift compact-protocol bytes that refuses any size larger than the bytes left and any
/// type other than the struct definition's.</summary>
internal ref struct ThriftCompact(ReadOnlySpan<byte> bytes, int position)
{
    private readonly ReadOnlySpan<byte> bytes = bytes;

    /// <summary>The offset of the next byte to read.</summary>
    public int Position { get; private set; } = position;

    /// <summary>Walks one struct named <paramref name="name"/> in ParquetThrift to its stop byte. Integer fields of
    /// this struct and of the structs nested in it are written to <paramref name="ints"/> (when given) under their path
    /// of field ids, "2" or "5.1"; booleans as 1 or 0.</summary>
    public void Struct(string name, Dictionary<string, long>? ints, string path = "")
    {
        var fields = ParquetThrift.Structs[name];
        short id = 0;
        while (true)
        {
            byte head = Byte();
            if (head == 0) return;
            int type = head & 0x0F;
            int delta = head >> 4;
            if (delta != 0) id = (short)(id + delta);
            else
            {
                long full = ZigZag(Varint(5));
                if (full is < short.MinValue or > short.MaxValue) throw Bad($"a field id of {full}");
                id = (short)full;
            }
            string key = path.Length == 0 ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{path}.{id}";
            if (fields.TryGetValue(id, out ThriftField? field))
            {
                if (!Same(type, field.Type)) throw Bad($"field {id} of {name} is a {TypeName(type)}, not the {TypeName(field.Type)} the format defines");
                if (field.Type == 1 && ints != null) ints[key] = type == 1 ? 1 : 0; // a boolean is recorded as 1 or 0
                Value(field, ints, key);
            }
            else if (type is >= 1 and <= 8) Value(new ThriftField(type), null, key);
            else throw Bad($"field {id} of {name} is not in the format and is a {TypeName(type)}, which is not skipped safely");
        }
    }

    private void Value(ThriftField field, Dictionary<string, long>? ints, string key)
    {
        switch (field.Type)
        {
            case 1 or 2: break; // a boolean field's value is its type
            case 3: Take(1); break;
            case 4 or 5:
                long small = ZigZag(Varint(5));
                if (ints != null) ints[key] = small;
                break;
            case 6:
                long large = ZigZag(Varint(10));
                if (ints != null) ints[key] = large;
                break;
            case 7: Take(8); break;
            case 8: Take(Size()); break;
            case 9: Elements(field.Element!); break;
            case 12: Struct(field.StructName!, ints, key); break;
            default: throw Bad($"field type {field.Type}");
        }
    }

    private void Elements(ThriftField element)
    {
        byte head = Byte();
        int type = head & 0x0F;
        long count = head >> 4 == 15 ? (long)Varint(5) : head >> 4;
        // An empty list's element type is never read (some writers leave it 0).
        if (count > 0 && !Same(type, element.Type)) throw Bad($"a list of {TypeName(type)} where the format defines a list of {TypeName(element.Type)}");
        if (count > bytes.Length - Position) throw Bad($"a list declares {count} elements with {bytes.Length - Position} bytes left");
        for (long i = 0; i < count; i++)
        {
            if (element.Type == 1) Take(1); // in a list a boolean takes a byte of its own
            else Value(element, null, "");
        }
    }

    private static bool Same(int wire, int defined) => wire == defined || (defined == 1 && wire == 2);

    private static string TypeName(int type) => type switch
    {
        0 => "type 0",
        1 or 2 => "bool",
        3 => "i8",
        4 => "i16",
        5 => "i32",
        6 => "i64",
        7 => "double",
        8 => "binary",
        9 => "list",
        10 => "set",
        11 => "map",
        12 => "struct",
        _ => $"type {type}",
    };

    /// <summary>A binary's length: a 32-bit varint no larger than the bytes left.</summary>
    private long Size()
    {
        ulong v = Varint(5);
        if (v > (ulong)(bytes.Length - Position)) throw Bad($"a size of {v} with {bytes.Length - Position} bytes left");
        return (long)v;
    }

    private static long ZigZag(ulong v) => (long)(v >> 1) ^ -(long)(v & 1);

    /// <summary>A varint of at most <paramref name="maxBytes"/> bytes (5: a 32-bit value, 10: a 64-bit one).</summary>
    private ulong Varint(int maxBytes)
    {
        ulong v = 0;
        for (int i = 0; i < maxBytes; i++)
        {
            byte b = Byte();
            v |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (maxBytes == 5 && v > uint.MaxValue) break;
                return v;
            }
        }
        throw Bad($"a number longer than {(maxBytes == 5 ? 32 : 64)} bits");
    }

    private byte Byte()
    {
        if (Position >= bytes.Length) throw Bad("the bytes end inside a struct");
        return bytes[Position++];
    }

    private void Take(long n)
    {
        if (n > bytes.Length - Position) throw Bad($"{n} bytes declared with {bytes.Length - Position} left");
        Position += (int)n;
    }

    private static InvalidDataException Bad(string what) => new($"Thrift metadata: {what}");
}
