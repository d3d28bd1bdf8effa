#!/usr/bin/env python3
"""Writes the bad-input cases in bad/, each a variant of one small, good PCD-01 report (BASE).

The files are committed; this script says how each was made. Run it from anywhere:
    python3 tests/data/hl7/make_bad.py
What each file must do is asserted by tests/unit/hl7/bad_input_test.cpp (README.md lists them).
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "bad")

MSH = ("MSH|^~\\&|TEST_GW^0011223344556677^EUI-64|Ward 7|VIGIL|Clinic|20240601120000+0000||"
       "ORU^R01^ORU_R01|MSG0001|P|2.6|||AL|NE||UNICODE UTF-8|||"
       "IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO")
PID = "PID|||P123^^^Clinic^MR||Doe^Jane"
PV1 = "PV1||I|WARD^7^A"
OBR = "OBR|1|||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|||20240601115950+0000"
MDS = ("OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1.0.0.0|||||||X|||||||"
       "0011223344550001^^0011223344550001^EUI-64")
HR = "OBX|2|NM|147842^MDC_ECG_HEART_RATE^MDC|1.2.1.1|72|264864^MDC_DIM_BEAT_PER_MIN^MDC|50-120||||R"
SYS = ("OBX|3|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.1|120|266016^MDC_DIM_MMHG^MDC|||||R|||"
       "20240601115500+0000")
DIA = ("OBX|4|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.1.1.2|80|266016^MDC_DIM_MMHG^MDC|||||R|||"
       "20240601115500+0000")
MEAN = ("OBX|5|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.1.1.3|93|266016^MDC_DIM_MMHG^MDC|||||R|||"
        "20240601115500+0000")
BASE = [MSH, PID, PV1, OBR, MDS, HR, SYS, DIA, MEAN]


def message(segments, sep="\r"):
    return (sep.join(segments) + sep).encode("ascii")


def frame(data):
    return b"\x0b" + data + b"\x1c\x0d"


def swap(segments, old, new):
    return [new if s == old else s for s in segments]


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    good = message(BASE)
    write("good.hl7", good)

    # Framing (MLLP).
    write("not_mllp.bin", good + b"\r\n")  # a message without 0x0B ... 0x1C 0x0D
    write("cut_off_frame.bin", b"\x0b" + good[:150])  # the connection stops mid-frame
    big = message(BASE + ["NTE|1||" + "x" * 5000])
    write("oversize_frame.bin", frame(big) + frame(good))  # > the tests' 4,096-byte limit
    write("end_without_cr.bin", b"\x0b" + good + b"\x1cX" + frame(good))

    # Segment separators.
    write("lf_segments.hl7", message(BASE, "\n"))
    write("crlf_segments.hl7", message(BASE, "\r\n"))
    write("lf_inside_nte.hl7", message(BASE[:4] + ["NTE|1||first line\nsecond line"] + BASE[4:]))

    # Escapes: \F\ \S\ \T\ \R\ \E\ in PV1-3, \X..\ \H\ \N\ passed through in an NTE.
    write("escapes.hl7", message(swap(BASE, PV1, "PV1||I|ICU\\F\\1^R\\S\\2^B\\T\\3\\R\\x\\E\\")
                                 + ["NTE|1||\\H\\bold\\N\\ \\X41\\ \\E\\R\\E\\"]))
    write("bad_escape.hl7", message(swap(BASE, HR, HR.replace("|72|", "|7\\E|"))))

    # Repetitions: OBX-8 and OBX-18 repeat (first one counts); OBX-5 may not.
    write("repetitions.hl7", message(swap(swap(
        BASE, HR, "OBX|2|NM|147842^MDC_ECG_HEART_RATE^MDC|1.2.1.1|72|264864^MDC_DIM_BEAT_PER_MIN^MDC|"
                  "50-120|QUES~H|||R|||||||AAAA^^aaaa00000000000a^EUI-64~BBBB^^BBBB^EUI-64"),
        SYS, SYS.replace("|120|", "|120~121|"))))

    # Content.
    write("unknown_code.hl7", message(BASE + [
        "OBX|6|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.3.1.1|98|262688^MDC_DIM_PERCENT^MDC|||||R",
        "OBX|7|NM|999999^MDC_NOT_A_TERM^MDC|1.3.1.2|5|262656^MDC_DIM_DIMLESS^MDC|||||R",
        "OBX|8|NM|8867-4^Heart rate^LN|1.3.1.3|71|/min^/min^UCUM|||||R"]))
    write("not_a_number.hl7", message(swap(BASE, HR, HR.replace("|72|", "|7two|"))))
    write("wrong_unit.hl7", message(swap(swap(swap(swap(
        BASE, HR, HR.replace("264864^MDC_DIM_BEAT_PER_MIN^MDC", "mm[Hg]^mm[Hg]^UCUM")),
        SYS, SYS.replace("|120|266016^MDC_DIM_MMHG^MDC", "|16.0|kPa^kPa^UCUM")),
        DIA, DIA.replace("|80|266016^MDC_DIM_MMHG^MDC", "|10.6|265987^MDC_DIM_KILO_PASCAL^MDC")),
        MEAN, MEAN.replace("266016^MDC_DIM_MMHG^MDC", "%^%^UCUM"))))
    # No offsets, sent by a sender configured for Europe/Berlin: one OBR in the spring-forward
    # gap (02:30 on 2024-03-31 does not exist), one in the repeated hour (02:30 on 2024-10-27).
    write("no_zone.hl7", message([MSH, PID, PV1,
        "OBR|1|||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|||20240331023000", HR,
        "OBR|2|||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|||20241027023000", HR,
        "OBR|3|||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|||20240601135950", HR]))
    write("sentinels.hl7", message(BASE[:5] + [
        HR.replace("|72|", "|-999|"),
        HR.replace("|72|", "|8388607|").replace("1.2.1.1", "1.2.1.2"),
        HR.replace("|72|", "|350|").replace("1.2.1.1", "1.2.1.3")]))
    write("future.hl7", message(swap(BASE, OBR, OBR.replace("20240601115950", "20240601130000"))))
    write("test_data.hl7", message(swap(BASE, MSH, MSH.replace("|MSG0001|P|", "|MSG0001|D|"))))
    write("duplicate_sub_id.hl7", message(BASE + [HR.replace("OBX|2|", "OBX|6|").replace("|72|", "|73|")]))

    # Message level.
    write("batch.hl7", message(["FHS|^~\\&|TEST_GW|Ward 7|||20240601120000+0000",
                                "BHS|^~\\&|TEST_GW|Ward 7|||20240601120000+0000"] + BASE +
                               ["BTS|1", "FTS|1"]))
    write("two_messages.hl7", message(BASE + BASE))
    write("empty.hl7", b"")
    write("whitespace.hl7", b"  \r\n\t \n")
    write("not_hl7.hl7", b"GET / HTTP/1.1\r\nHost: gateway\r\n\r\n")
    write("unmapped_bed.hl7", message(swap(BASE, PV1, "PV1||I|NOWHERE^9^9")))
    write("no_pv1.hl7", message([s for s in BASE if s != PV1]))
    write("no_obr.hl7", message([MSH, PID, PV1]))
    write("adt.hl7", message(swap(BASE[:3], MSH, MSH.replace("ORU^R01^ORU_R01", "ADT^A01^ADT_A01"))))
    write("oru_r40.hl7", message(swap(BASE, MSH, MSH.replace("ORU^R01^ORU_R01", "ORU^R40^ORU_R40"))))
    write("no_control_id.hl7", message(swap(BASE, MSH, MSH.replace("|MSG0001|", "||"))))
    # Delimiters are the message's own: field '!', component '@', repetition '*', escape '$',
    # subcomponent '%' (MSH-1, MSH-2).
    trans = str.maketrans({"|": "!", "^": "@", "~": "*", "\\": "$", "&": "%"})
    write("own_delimiters.hl7", message([s.translate(trans) for s in
                                         swap(BASE, PV1, "PV1||I|WARD^7^A")]))


if __name__ == "__main__":
    main()
