// MSBuild inline task (compiled by RoslynCodeTaskFactory at build time): see MLNetLlm.TorchSharp.targets for why.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class MLNetLlmWeakenGlibcxxRequirement : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required] public ITaskItem[] Libraries { get; set; }
    [Required] public string Version { get; set; }

    public override bool Execute()
    {
        foreach (var library in Libraries)
        {
            var path = library.ItemSpec;
            if (!File.Exists(path)) continue;
            var bytes = File.ReadAllBytes(path);
            int changed = MarkWeak(bytes, Version);
            if (changed < 0)
            {
                Log.LogWarning("{0} is not a 64-bit little-endian ELF library; it was not patched.", path);
                continue;
            }
            if (changed == 0) continue;
            var temporary = path + ".mlnetllm-tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Copy(temporary, path, overwrite: true);
            File.Delete(temporary);
            Log.LogMessage(MessageImportance.High, "MLNetLlm: marked {0} weak in {1} so that it loads with an older libstdc++ too.", Version, path);
        }
        return !Log.HasLoggedErrors;
    }

    // Returns the number of requirements newly marked weak, or -1 when the file is not an ELF64 LSB object.
    private static int MarkWeak(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2 || elf[5] != 1)
            return -1;
        long sectionTable = (long)BitConverter.ToUInt64(elf, 0x28);
        int entrySize = BitConverter.ToUInt16(elf, 0x3A);
        int count = BitConverter.ToUInt16(elf, 0x3C);
        int changed = 0;
        for (int i = 0; i < count; i++)
        {
            long header = sectionTable + (long)i * entrySize;
            if (BitConverter.ToUInt32(elf, (int)header + 4) != ShtGnuVerneed) continue;
            long offset = (long)BitConverter.ToUInt64(elf, (int)header + 0x18);
            uint link = BitConverter.ToUInt32(elf, (int)header + 0x28);
            uint needCount = BitConverter.ToUInt32(elf, (int)header + 0x2C);
            long strings = (long)BitConverter.ToUInt64(elf, (int)(sectionTable + link * entrySize) + 0x18);

            long need = offset;
            for (uint n = 0; n < needCount; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    int flagsAt = (int)aux + 4;
                    string name = ReadString(elf, strings + BitConverter.ToUInt32(elf, (int)aux + 8));
                    ushort flags = BitConverter.ToUInt16(elf, flagsAt);
                    if (name == version && (flags & VerFlgWeak) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, flagsAt);
                        changed++;
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }
        return changed;
    }

    private static string ReadString(byte[] bytes, long start)
    {
        long end = start;
        while (bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)start, (int)(end - start));
    }
}
